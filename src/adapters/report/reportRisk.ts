import type { DataOf } from '../../domain/index.js';

type TradingState = DataOf<'TradingStateChanged'>['to'];
type StopKind = DataOf<'StopTriggered'>['kind'];

/** The risk gate's record over the run, folded from the journal (see `summariseRisk` in app/report). */
export interface ReportRisk {
  /** Orders the gate decided: approved + denied. */
  readonly decisions: number;
  readonly approved: number;
  readonly denied: number;
  /** Denials per (rule, reason), most first, then by rule and reason. */
  readonly deniedBy: readonly { readonly rule: string; readonly reason: string; readonly count: number }[];
  /** Every TradingStateChanged, in journal order. */
  readonly stateChanges: readonly DataOf<'TradingStateChanged'>[];
  /** The state after the last change; ACTIVE when nothing changed it. */
  readonly finalState: TradingState;
  readonly stops: number;
  /** Stops that could sell nothing on their day (T+1: the shares were bought that day). */
  readonly stopsBlockedByT1: number;
  /** Stops per kind, sorted by kind. */
  readonly stopsByKind: readonly { readonly kind: StopKind; readonly count: number; readonly blockedByT1: number }[];
  /** Distinct rule versions of the recorded decisions, sorted. */
  readonly ruleVersions: readonly string[];
}

/** A run with no risk events: nothing decided, ACTIVE throughout. */
export const NO_RISK: ReportRisk = {
  decisions: 0, approved: 0, denied: 0, deniedBy: [], stateChanges: [], finalState: 'ACTIVE',
  stops: 0, stopsBlockedByT1: 0, stopsByKind: [], ruleVersions: [],
};

const CONSEQUENCE: Record<Exclude<TradingState, 'ACTIVE'>, string> = {
  REDUCING: 'buys were denied from then on',
  HALTED: 'every order was denied from then on',
};

/** One sentence on the trading state at the end, with who moved it there, why, and what it meant. */
export function riskStatusLine(r: ReportRisk): string {
  const last = r.stateChanges[r.stateChanges.length - 1];
  if (last === undefined || r.finalState === 'ACTIVE') return `Trading state at the end: ${r.finalState}`;
  return `Trading state at the end: ${r.finalState} since ${last.day} — by ${last.by}: ${last.why}; ${CONSEQUENCE[r.finalState]}`;
}

/** Longest list of state changes shown on the page (all of them are in metrics.json). */
const MAX_CHANGES = 500;

/**
 * The report's Risk section. `esc` is the page's HTML escaper, passed in so this module does not
 * import reportHtml (which imports this one); every journal text goes through it.
 */
export function renderRiskSection(r: ReportRisk, esc: (s: string) => string): string {
  // Text columns align left, counts right (the page's default), headers with their column.
  const cell = (tag: 'td' | 'th', c: string | number, text: boolean): string => `<${tag}${text ? ' class="text"' : ''}>${esc(String(c))}</${tag}>`;
  const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[], none: string): string => {
    if (rows.length === 0) return `<p class="note">${esc(none)}</p>`;
    const text = rows[0]!.map((c) => typeof c === 'string');
    return `<table><tr>${head.map((h, i) => cell('th', h, text[i] ?? true)).join('')}</tr>`
      + `${rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, text[i] ?? true)).join('')}</tr>`).join('')}</table>`;
  };
  const warn = r.finalState !== 'ACTIVE';
  const counts: [string, string][] = [
    ['Orders decided / approved / denied', `${r.decisions} / ${r.approved} / ${r.denied}`],
    ['Stops triggered / sold nothing (T+1)', `${r.stops} / ${r.stopsBlockedByT1}`],
  ];
  const changes = r.stateChanges.slice(-MAX_CHANGES);
  const more = r.stateChanges.length > MAX_CHANGES ? ` (last ${MAX_CHANGES} of ${r.stateChanges.length}; all in metrics.json)` : '';
  return `<h2>Risk</h2>
<p class="risk-state${warn ? ` warn ${r.finalState.toLowerCase()}` : ''}">${esc(riskStatusLine(r))}</p>
<table class="metrics">${counts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h3>Denials by rule and reason</h3>${table(['Rule', 'Reason', 'Orders'], r.deniedBy.map((d) => [d.rule, d.reason, d.count]), 'No order was denied.')}
<h3>Trading-state changes${esc(more)}</h3><div class="scroll">${table(['Day', 'Change', 'By', 'Why'],
    changes.map((c) => [c.day, `${c.from} → ${c.to}`, c.by, c.why]), 'The trading state never changed.')}</div>
<h3>Stops triggered</h3>${table(['Kind', 'Stops', 'Sold nothing (T+1)'], r.stopsByKind.map((s) => [s.kind, s.count, s.blockedByT1]), 'No stop triggered.')}
<h3>Rule versions in force</h3><p>${r.ruleVersions.length ? r.ruleVersions.map((v) => `<code>${esc(v)}</code>`).join('<br>') : 'none recorded'}</p>`;
}

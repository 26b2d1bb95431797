import type { DataOf } from '../../domain/index.js';
import { canonicalJson } from '../../domain/index.js';
import type { EngineRules, RecordedEvent } from '../engine/index.js';
import { replayJournal } from '../engine/index.js';
import { summariseRisk } from '../report/buildReport.js';

/** The decisions an audit re-evaluates: the gate's, the kill switch's and the stops'. */
const DECISION_TYPES = new Set(['OrderApproved', 'OrderDenied', 'TradingStateChanged', 'StopTriggered']);

export interface AuditMismatch {
  readonly day: string;
  readonly seq: number | null;
  /** What was decided about: `order O-…`, `stop 600000.SH`, `state ACTIVE→HALTED`. */
  readonly subject: string;
  readonly recorded: string;
  readonly replayed: string;
}

export interface AuditReport {
  readonly runId: string;
  readonly mode: string;
  readonly configHash: string;
  /** Versions named by the recorded decisions (order checks, risk rules, risk config, market tables). */
  readonly ruleVersions: readonly string[];
  readonly days: number;
  /** Recorded decisions re-evaluated. */
  readonly decisions: number;
  readonly approved: number;
  readonly denied: number;
  /** `rule/REASON` → count of recorded denials. */
  readonly deniedBy: Readonly<Record<string, number>>;
  readonly stateChanges: readonly DataOf<'TradingStateChanged'>[];
  readonly stops: number;
  readonly stopsBlockedByT1: number;
  readonly mismatches: number;
  readonly details: readonly AuditMismatch[];
}

type Decision = { readonly type: string; readonly data: unknown };

function subjectOf(e: Decision): string {
  const d = e.data as Record<string, unknown>;
  if (e.type === 'OrderApproved' || e.type === 'OrderDenied') return `order ${String(d['orderId'])}`;
  if (e.type === 'StopTriggered') return `stop ${String(d['symbol'])}`;
  return `state ${String(d['from'])}→${String(d['to'])} by ${String(d['by'])}`;
}

function describe(e: Decision | undefined): string {
  if (!e) return 'nothing';
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'OrderApproved': return `approved under ${String(d['ruleVersion'])}`;
    case 'OrderDenied': return `denied ${String(d['reason'])} by ${String(d['rule'])} (${String(d['details'])}) under ${String(d['ruleVersion'])}`;
    case 'StopTriggered': return `${String(d['kind'])} stop, sell ${String(d['qty'])}${d['blockedBy'] ? ' (blocked by T+1)' : ''}: ${String(d['reason'])}`;
    default: return `${String(d['from'])} → ${String(d['to'])} by ${String(d['by'])}: ${String(d['why'])}`;
  }
}

/**
 * Compliance audit: re-runs every recorded day through the same deciders with the configuration
 * recorded in RunStarted (risk limits included) and the dated rule tables, and compares each
 * recorded decision — approval, denial (reason, rule, details, rule version), trading-state change,
 * stop — with the one re-decided. `days` null audits every day. A decision recorded but not
 * re-decided, re-decided but not recorded, or different in any field is a mismatch.
 */
export async function auditJournal<S>(
  events: readonly RecordedEvent[], makeRules: (run: DataOf<'RunStarted'>) => EngineRules<S>, days: ReadonlySet<string> | null,
): Promise<AuditReport> {
  const first = events[0];
  if (!first || first.type !== 'RunStarted') throw new Error('the journal does not start with RunStarted');
  const details: AuditMismatch[] = [];
  const audited: RecordedEvent[] = [];
  const results = await replayJournal(events, makeRules, days, (day, recorded, replayed) => {
    const mine = recorded.filter((e) => DECISION_TYPES.has(e.type));
    audited.push(...mine);
    const again = new Map<string, Decision>();
    for (const e of replayed) if (DECISION_TYPES.has(e.type)) again.set(subjectOf(e), e);
    for (const e of mine) {
      const subject = subjectOf(e);
      const r = again.get(subject);
      again.delete(subject);
      if (r && r.type === e.type && canonicalJson(r.data) === canonicalJson(e.data)) continue;
      details.push({ day, seq: e.seq, subject, recorded: describe(e), replayed: describe(r) });
    }
    for (const [subject, r] of again) details.push({ day, seq: null, subject, recorded: 'nothing', replayed: describe(r) });
  }, false); // the audit compares decisions; it prints no projection hashes
  // The counts are the report's Risk section over the audited days' recorded decisions.
  const risk = summariseRisk(audited);
  return {
    runId: first.data.runId, mode: first.data.mode, configHash: first.data.configHash, ruleVersions: risk.ruleVersions,
    days: results.length, decisions: risk.decisions + risk.stops + risk.stateChanges.length,
    approved: risk.approved, denied: risk.denied,
    deniedBy: Object.fromEntries(risk.deniedBy.map((d) => [`${d.rule}/${d.reason}`, d.count])),
    stateChanges: risk.stateChanges, stops: risk.stops, stopsBlockedByT1: risk.stopsBlockedByT1,
    mismatches: details.length, details,
  };
}

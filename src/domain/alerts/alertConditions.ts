import type { DataOf } from '../events/domainEvent.js';
import { formatFen } from '../money.js';
import { dayOfMs } from '../tradingDay.js';
import type { ConditionAlertCode } from './alertCodes.js';
import type { AlertsConfig } from './alertsConfig.js';
import type { AlertState, EgressWatch } from './alertState.js';
import { denialsSince } from './denialWindow.js';

/** Exactly the data of an AlertRaised event. */
export type AlertToRaise = DataOf<'AlertRaised'>;

/** Whether a condition holds now: the alert it calls for, or why it does not (the AlertCleared's `why`). */
export type Verdict = { readonly holds: true; readonly alert: AlertToRaise } | { readonly holds: false; readonly why: string };

const pct = (f: number): string => `${(f * 100).toFixed(2)}%`;
const cny = (fen: number): string => `${formatFen(fen)} CNY`;
const off = (key: string): Verdict => ({ holds: false, why: `the rule is off (alerts.${key} is null)` });

function drawdown(s: AlertState, c: AlertsConfig): Verdict {
  if (c.drawdownPct === null) return off('drawdownPct');
  const { equityFen: eq, peakFen: peak, day, peakDay } = s.equity;
  if (eq === null || peak === null || peak <= 0) return { holds: false, why: 'no equity closed yet' };
  // A ratio of integers compares exactly with the configured fraction at the boundary.
  const dd = (peak - eq) / peak;
  const where = `equity ${cny(eq)}${day === null ? '' : ` at the close of ${day}`}`;
  const peakText = `its peak of ${cny(peak)}${peakDay === null ? ' (the initial cash)' : ` (${peakDay})`}`;
  if (dd >= c.drawdownPct) {
    return { holds: true, alert: { code: 'DRAWDOWN', level: 'warning', day, message: `drawdown ${pct(dd)}: ${where} is below ${peakText} (threshold ${pct(c.drawdownPct)})` } };
  }
  return { holds: false, why: `drawdown ${pct(Math.max(dd, 0))} is under the ${pct(c.drawdownPct)} threshold: ${where}, ${peakText}` };
}

function dailyLoss(s: AlertState, c: AlertsConfig): Verdict {
  if (c.dailyLossPct === null) return off('dailyLossPct');
  const { equityFen: eq, previousFen: prev, day } = s.equity;
  if (day === null || eq === null || prev === null || prev <= 0) return { holds: false, why: 'no day closed against an earlier equity yet' };
  const loss = (prev - eq) / prev;
  const what = `equity closed ${day} at ${cny(eq)} against ${cny(prev)} the close before`;
  if (loss >= c.dailyLossPct) {
    return { holds: true, alert: { code: 'DAILY_LOSS', level: 'warning', day, message: `daily loss ${pct(loss)}: ${what} (threshold ${pct(c.dailyLossPct)})` } };
  }
  return { holds: false, why: `${what}: ${loss > 0 ? `a loss of ${pct(loss)}` : 'no loss'}, under the ${pct(c.dailyLossPct)} threshold` };
}

function denialBurst(s: AlertState, c: AlertsConfig, nowMs: number): Verdict {
  if (c.denialBurst === null) return off('denialBurst');
  const { count, withinMinutes } = c.denialBurst;
  const w = denialsSince(s.denials, nowMs - withinMinutes * 60_000);
  const within = `within ${withinMinutes} minute${withinMinutes === 1 ? '' : 's'}`;
  if (w.count >= count) {
    const top = w.byRule.slice(0, 3).map(([r, n]) => `${r} ×${n}`).join(', ');
    return {
      holds: true,
      alert: { code: 'DENIAL_BURST', level: 'warning', day: dayOfMs(w.latestAt ?? nowMs), message: `${w.count} orders denied ${within} (threshold ${count}); top rules: ${top}` },
    };
  }
  return { holds: false, why: `${w.count} order${w.count === 1 ? '' : 's'} denied in the last ${withinMinutes} minute${withinMinutes === 1 ? '' : 's'}, fewer than ${count}` };
}

function killSwitch(s: AlertState): Verdict {
  const t = s.trading;
  const change = t.by === null ? '' : ` by ${t.by}${t.day === null ? '' : ` on ${t.day}`}: ${t.why ?? ''}`;
  if (t.state === 'HALTED') return { holds: true, alert: { code: 'KILL_SWITCH', level: 'critical', day: t.day, message: `trading HALTED${change}` } };
  return { holds: false, why: `trading is ${t.state}${change}` };
}

function reconciliationBreak(s: AlertState): Verdict {
  const r = s.reconciliation;
  if (r === null) return { holds: false, why: 'the reconciliation passed' };
  const more = r.count > r.shown.length ? `; and ${r.count - r.shown.length} more` : '';
  return {
    holds: true,
    alert: { code: 'RECONCILIATION_BREAK', level: 'critical', day: r.day, message: `${r.count} difference(s) with the broker on ${r.day} (policy ${r.policy}): ${r.shown.join('; ')}${more}` },
  };
}

/** Each condition rule, judged on the folded state at `nowMs`. */
export const CONDITIONS: Readonly<Record<ConditionAlertCode, (s: AlertState, c: AlertsConfig, nowMs: number) => Verdict>> = {
  DRAWDOWN: drawdown,
  DAILY_LOSS: dailyLoss,
  DENIAL_BURST: denialBurst,
  KILL_SWITCH: killSwitch,
  RECONCILIATION_BREAK: reconciliationBreak,
};

export function egressAlert(g: EgressWatch): AlertToRaise {
  const more = g.count > 1 ? ` (and ${g.count - 1} more block${g.count > 2 ? 's' : ''} since)` : '';
  return { code: 'EGRESS_BLOCKED', level: 'critical', day: g.day, message: `outbound connection to ${g.target} blocked (caller ${g.caller})${more}` };
}

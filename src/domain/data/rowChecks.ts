import type { Bar } from '../bars.js';
import { admitCode, dayStatus, offTickFields, type BarRules, type CodeAdmission } from '../rules/barAdmission.js';
import { round4, suspensionKey, type Finding, type ValidationThresholds } from './finding.js';

/**
 * OHLC_INCONSISTENT: every price a positive integer, low ≤ min(open, close), max(open, close) ≤ high.
 * Returns null for a sound row.
 */
export function checkOhlc(r: Bar, line: number): Finding | null {
  const prices = [r.open, r.high, r.low, r.close];
  const problems: string[] = [];
  if (!prices.every((p) => Number.isSafeInteger(p) && p > 0)) problems.push('non-positive price');
  if (r.low > Math.min(r.open, r.close)) problems.push('low above open/close');
  if (r.high < Math.max(r.open, r.close)) problems.push('high below open/close');
  if (r.high < r.low) problems.push('high below low');
  if (problems.length === 0) return null;
  return {
    kind: 'OHLC_INCONSISTENT', severity: 'error', symbol: r.symbol, day: r.day, line,
    details: { problem: problems.join('; '), open: r.open, high: r.high, low: r.low, close: r.close },
  };
}

/**
 * VOLUME_SANITY: negative volume or amount (error); a row with zero volume (a vendor's placeholder
 * for a day that did not trade); amount ÷ volume outside [low, high] widened by the tolerance (the
 * turnover cannot average a price the day never printed). The price test needs sound OHLC, so
 * `ohlcOk` false skips it.
 */
export function checkVolume(r: Bar, line: number, ohlcOk: boolean, t: ValidationThresholds): Finding | null {
  const base = { kind: 'VOLUME_SANITY' as const, symbol: r.symbol, day: r.day, line };
  if (r.volume < 0 || r.amountFen < 0) {
    return { ...base, severity: 'error', details: { problem: 'negative volume or amount', volume: r.volume, amountFen: r.amountFen } };
  }
  if (r.volume === 0) {
    return { ...base, severity: 'warn', details: { problem: 'zero volume on a traded row', volume: 0, amountFen: r.amountFen } };
  }
  if (!ohlcOk) return null;
  const avgMilli = (r.amountFen * 10) / r.volume; // 1 fen = 10 × 0.001 CNY
  const lo = r.low * (1 - t.amountPriceTolerance), hi = r.high * (1 + t.amountPriceTolerance);
  if (avgMilli >= lo && avgMilli <= hi) return null;
  return {
    ...base, severity: 'error',
    details: {
      problem: 'amount/volume outside [low, high]', avgPriceMilli: round4(avgMilli), low: r.low, high: r.high,
      tolerance: t.amountPriceTolerance, volume: r.volume, amountFen: r.amountFen,
    },
  };
}

/** Row-level findings in input order, plus which rows later checks may trust. */
export interface RowCheckResult {
  readonly findings: Finding[];
  /** Lines fit for the series checks: sound OHLC, first of their symbol-day, on a trading day. */
  readonly usable: boolean[];
  /** Lines whose symbol-day is present at all (for gap detection), even if otherwise unusable. */
  readonly presentDays: Map<string, Set<string>>;
}

/**
 * UNKNOWN_CODE (no board of boards.yaml holds the code: no tick, lot or band applies) and OFF_TICK
 * (a price not a whole number of the board's tick, trading.yaml; ashare-market-rules.md §1.1, §2.3):
 * what the engine cannot trade on. Boards without a tick row (indices) are not tick-checked.
 */
function checkCode(r: Bar, line: number, code: CodeAdmission, ohlcOk: boolean): Finding | null {
  if (!code.assigned) {
    return { kind: 'UNKNOWN_CODE', severity: 'error', symbol: r.symbol, day: r.day, line, details: { reason: 'no board in config/market/boards.yaml covers the code prefix' } };
  }
  if (code.tickMilli === null || !ohlcOk) return null;
  const off = offTickFields(r, code.tickMilli);
  if (off.length === 0) return null;
  return {
    kind: 'OFF_TICK', severity: 'error', symbol: r.symbol, day: r.day, line,
    details: { fields: off.join(','), tickMilli: code.tickMilli, open: r.open, high: r.high, low: r.low, close: r.close },
  };
}

/**
 * UNKNOWN_CODE, OHLC_INCONSISTENT, OFF_TICK, VOLUME_SANITY, DUPLICATE, OUT_OF_ORDER, OUTSIDE_CALENDAR (a day
 * the calendar table does not cover) and NOT_TRADING_DAY (a day inside it the exchange was closed), row by row.
 */
export function checkRows(rows: readonly Bar[], rules: BarRules, t: ValidationThresholds): RowCheckResult {
  const calendar = rules.calendar;
  const findings: Finding[] = [];
  const usable: boolean[] = [];
  const presentDays = new Map<string, Set<string>>();
  const firstLine = new Map<string, number>();
  const latestDay = new Map<string, string>();
  const codes = new Map<string, CodeAdmission>();
  rows.forEach((r, line) => {
    let code = codes.get(r.symbol);
    if (code === undefined) codes.set(r.symbol, (code = admitCode(rules, r.symbol)));
    const ohlc = checkOhlc(r, line);
    const codeFinding = checkCode(r, line, code, ohlc === null);
    if (codeFinding) findings.push(codeFinding);
    if (ohlc) findings.push(ohlc);
    const vol = checkVolume(r, line, ohlc === null, t);
    if (vol) findings.push(vol);

    const key = suspensionKey(r.symbol, r.day);
    const first = firstLine.get(key);
    if (first !== undefined) {
      const f = rows[first]!;
      const identical = f.open === r.open && f.high === r.high && f.low === r.low && f.close === r.close &&
        f.volume === r.volume && f.amountFen === r.amountFen;
      findings.push({ kind: 'DUPLICATE', severity: 'error', symbol: r.symbol, day: r.day, line, details: { firstLine: first, identical } });
    } else firstLine.set(key, line);

    const latest = latestDay.get(r.symbol);
    if (latest !== undefined && r.day < latest) {
      findings.push({ kind: 'OUT_OF_ORDER', severity: 'warn', symbol: r.symbol, day: r.day, line, details: { afterDay: latest } });
    }
    if (latest === undefined || r.day > latest) latestDay.set(r.symbol, r.day);

    const status = dayStatus(calendar, r.day);
    if (status === 'uncovered') {
      findings.push({
        kind: 'OUTSIDE_CALENDAR', severity: 'error', symbol: r.symbol, day: r.day, line,
        details: { reason: `the exchange calendar covers ${calendar.firstDay}…${calendar.lastDay} only` },
      });
    } else if (status === 'closed') {
      findings.push({ kind: 'NOT_TRADING_DAY', severity: 'error', symbol: r.symbol, day: r.day, line, details: { reason: 'exchange closed' } });
    } else {
      let s = presentDays.get(r.symbol);
      if (!s) presentDays.set(r.symbol, (s = new Set()));
      s.add(r.day);
    }
    usable.push(ohlc === null && first === undefined && status === 'trading' && code.assigned);
  });
  return { findings, usable, presentDays };
}

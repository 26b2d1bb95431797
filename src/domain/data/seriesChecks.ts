import type { Bar } from '../bars.js';
import type { MarketRules } from '../rules/marketRules.js';
import type { TradingDay } from '../tradingDay.js';
import { round4, suspensionKey, type Finding, type ValidationContext, type ValidationThresholds } from './finding.js';

/**
 * CALENDAR_GAP: each trading day between a symbol's first and last row with no row. A known
 * suspension explains it; otherwise it is `warn` when the context's suspension list is complete and
 * `info` when suspensions are unknown (the day may well be an unlisted suspension).
 */
export function checkGaps(presentDays: ReadonlyMap<string, ReadonlySet<string>>, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  for (const [symbol, days] of presentDays) {
    const sorted = [...days].sort() as TradingDay[];
    if (sorted.length < 2) continue;
    for (const day of ctx.rules.calendar.range(sorted[0]!, sorted[sorted.length - 1]!)) {
      if (days.has(day) || ctx.suspensions?.has(suspensionKey(symbol, day))) continue;
      out.push({
        kind: 'CALENDAR_GAP', severity: ctx.suspensions ? 'warn' : 'info', symbol, day,
        details: { reason: ctx.suspensions ? 'missing row, not a known suspension' : 'missing row, suspensions unknown' },
      });
    }
  }
  return out;
}

/** Median of a non-empty array (sorted copy). */
function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Robust z-score of `x` against `history`: (x − median) / max(1.4826 × MAD, floor). */
export function robustZ(x: number, history: readonly number[], floor: number): { z: number; median: number; scale: number } {
  const med = median(history);
  const mad = median(history.map((h) => Math.abs(h - med)));
  const scale = Math.max(1.4826 * mad, floor); // 1.4826 × MAD estimates σ for normal data
  return { z: (x - med) / scale, median: med, scale };
}

/**
 * BAND_VIOLATION and OUTLIER over each symbol's usable rows in day order.
 *
 * Reference price: the row's `preClose` when the source gives one (on an ex-rights/ex-dividend day
 * it differs from the previous close and is the exchange's reference, so it is the right one), else
 * the previous usable row's close. The band comes from `rules.priceLimits` (board × ST × date; null
 * on IPO no-limit days, which therefore never violate). A high above the limit-up or a low below the
 * limit-down is a violation (open and close lie inside [low, high] once OHLC is sound).
 *
 * OUTLIER: the log return ln(close / reference) scored against the symbol's previous
 * `outlierWindow` returns (at least `outlierMinHistory`) by robust z; |z| > `outlierZ` flags it. A
 * close exactly at the day's limit price is a limit move the exchange's band explains, not an outlier.
 */
export function checkSeries(rows: readonly Bar[], usable: readonly boolean[], ctx: ValidationContext, t: ValidationThresholds): Finding[] {
  const bySymbol = new Map<string, number[]>();
  rows.forEach((r, line) => {
    if (!usable[line]) return;
    let a = bySymbol.get(r.symbol);
    if (!a) bySymbol.set(r.symbol, (a = []));
    a.push(line);
  });
  const out: Finding[] = [];
  for (const [symbol, lines] of bySymbol) {
    lines.sort((a, b) => (rows[a]!.day < rows[b]!.day ? -1 : rows[a]!.day > rows[b]!.day ? 1 : a - b));
    const listDay = ctx.listDays?.get(symbol) ?? null;
    const returns: number[] = [];
    let prevClose: number | null = null;
    for (const line of lines) {
      const r = rows[line]!;
      const fromPreClose = r.preClose !== null && Number.isSafeInteger(r.preClose) && r.preClose > 0;
      const ref = fromPreClose ? r.preClose! : prevClose;
      prevClose = r.close;
      if (ref === null || (listDay !== null && r.day < listDay)) continue;
      const limits = bandOf(ctx.rules, r, ref, listDay);
      const refFrom = fromPreClose ? 'preClose' : 'previousClose';
      if (limits && (r.high > limits.up || r.low < limits.down)) {
        out.push({
          kind: 'BAND_VIOLATION', severity: 'error', symbol, day: r.day, line,
          details: { ref, refFrom, up: limits.up, down: limits.down, high: r.high, low: r.low, close: r.close },
        });
      }
      const ret = Math.log(r.close / ref);
      const atLimit = limits !== null && (r.close === limits.up || r.close === limits.down);
      if (!atLimit && returns.length >= t.outlierMinHistory) {
        const s = robustZ(ret, returns.slice(-t.outlierWindow), t.outlierMinScale);
        if (Math.abs(s.z) > t.outlierZ) {
          out.push({
            kind: 'OUTLIER', severity: 'warn', symbol, day: r.day, line,
            details: {
              logReturn: round4(ret), z: round4(s.z), median: round4(s.median), scale: round4(s.scale),
              threshold: t.outlierZ, window: Math.min(returns.length, t.outlierWindow), ref, refFrom,
            },
          });
        }
      }
      returns.push(ret);
    }
  }
  return out;
}

/** The day's band, or null when there is none — or when the rule tables do not cover the instrument (fund bands are not sourced yet): no band, no band check. */
function bandOf(rules: MarketRules, r: Bar, ref: number, listDay: TradingDay | null) {
  try {
    return rules.priceLimits({ symbol: r.symbol, day: r.day, refPrice: ref, isSt: r.isSt === 1, listDay });
  } catch {
    return null;
  }
}

import type { FundamentalValues } from '../events/fundamentals.js';
import type { FundamentalsReport } from './fundamentalsStore.js';

/** Flow figures that A-share reports publish cumulative year-to-date (Q3 report = Jan–Sep). */
export type FlowField = 'revenueFen' | 'netProfitFen' | 'epsMicro';
/** Stock figures, measured at the period end. */
export type StockField = 'bvpsMicro' | 'equityFen' | 'totalShares' | 'floatShares';

/** The same month-day one year earlier (`2024-09-30` → `2023-09-30`); quarter ends only, so no leap-day case. */
export const yearEarlier = (period: string): string => `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`;
const fiscalYearEndBefore = (period: string): string => `${Number(period.slice(0, 4)) - 1}-12-31`;

/** The latest report (by period) that carries `field`; `reports` as `fundamentalsOn` returns them, latest first. */
export function latestWith(reports: readonly FundamentalsReport[], field: keyof FundamentalValues): FundamentalsReport | undefined {
  return reports.find((r) => r.values[field] !== undefined);
}

/** A stock figure from the latest report carrying it, or null when no visible report has it. */
export function latestValue(reports: readonly FundamentalsReport[], field: StockField): number | null {
  return latestWith(reports, field)?.values[field] ?? null;
}

/**
 * Trailing-twelve-month sum of a flow figure from cumulative year-to-date reports, anchored on the
 * latest report carrying it (period P of year Y):
 * - P is a year end: the annual figure itself;
 * - otherwise: YTD(P) + annual(Y−1) − YTD(same quarter of Y−1), i.e. the last four quarters.
 * Null when any of the three reports is not visible or lacks the figure (no guessing). For
 * `epsMicro` the same sum is an approximation: each period's EPS has its own weighted share count.
 */
export function ttmOf(reports: readonly FundamentalsReport[], field: FlowField): number | null {
  const last = latestWith(reports, field);
  if (last === undefined) return null;
  const ytd = last.values[field]!;
  if (last.period.endsWith('-12-31')) return ytd;
  const valueAt = (period: string): number | undefined => reports.find((r) => r.period === period)?.values[field];
  const priorYear = valueAt(fiscalYearEndBefore(last.period));
  const priorYtd = valueAt(yearEarlier(last.period));
  if (priorYear === undefined || priorYtd === undefined) return null;
  return ytd + priorYear - priorYtd;
}

/**
 * Cash dividends per share (0.000001 CNY) proposed for the periods in the twelve months ending at
 * the latest visible period: periods in (P − 1 year, P]. Null when none of those reports states a
 * dividend (unknown is not zero); a stated 0 counts.
 */
export function trailingDividendMicro(reports: readonly FundamentalsReport[]): number | null {
  const latest = reports[0];
  if (latest === undefined) return null;
  const from = yearEarlier(latest.period);
  let sum: number | null = null;
  for (const r of reports) {
    if (r.period <= from) break; // latest first: everything after is older
    const d = r.values.dividendPerShareMicro;
    if (d !== undefined) sum = (sum ?? 0) + d;
  }
  return sum;
}

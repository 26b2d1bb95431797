import type { Bar } from '../bars.js';
import { compareFindings, DEFAULT_THRESHOLDS, type Finding, type ValidationContext } from './finding.js';
import { checkRows } from './rowChecks.js';
import { checkGaps, checkSeries } from './seriesChecks.js';
import { checkAgainstSecondary } from './sourceDisagreement.js';

/**
 * Validates a batch of daily bars (canonical units) from one source. Pure: same rows and context,
 * same findings, sorted by symbol, day, kind, line.
 *
 * Row checks run on every row. A row with broken OHLC, a repeated symbol-day (its first occurrence
 * stays), a code on no board or a non-trading day is left out of the series checks (price band, outlier, second source)
 * and does not serve as the previous close: its prices are not fit to judge or to judge by.
 */
export function validateBars(rows: readonly Bar[], ctx: ValidationContext): Finding[] {
  const t = { ...DEFAULT_THRESHOLDS, ...ctx.thresholds };
  const rowResult = checkRows(rows, ctx.rules, t);
  const findings = [
    ...rowResult.findings,
    ...checkGaps(rowResult.presentDays, ctx),
    ...checkSeries(rows, rowResult.usable, ctx, t),
    ...(ctx.secondary ? checkAgainstSecondary(rows, rowResult.usable, ctx.secondary, t) : []),
  ];
  return findings.sort(compareFindings);
}

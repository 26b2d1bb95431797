import { z } from 'zod';
import { zDay, zSymbol } from './primitives.js';

/** A-share reports close on a calendar quarter end (一季报, 半年报, 三季报, 年报). */
const QUARTER_ENDS = new Set(['03-31', '06-30', '09-30', '12-31']);
export const isQuarterEnd = (day: string): boolean => QUARTER_ENDS.has(day.slice(5));

const zInt = z.number().int();
const zCount = z.number().int().nonnegative();

/**
 * The figures of one periodic report, every one optional (vendors and report kinds differ), all
 * integers with the unit in the name or stated here:
 * - `epsMicro`, `bvpsMicro`: basic earnings / book value per share, 0.000001 CNY (may be negative);
 * - `revenueFen`, `netProfitFen`: operating revenue / net profit attributable to the parent, fen,
 *   **cumulative year-to-date** as A-share reports publish them (Q3 = Jan–Sep);
 * - `equityFen`: equity attributable to the parent at the period end, fen;
 * - `totalShares`, `floatShares`: shares at the period end;
 * - `dividendPerShareMicro`: pre-tax cash dividend per share proposed for this period alone (not
 *   cumulative), 0.000001 CNY.
 */
export const FundamentalValues = z.strictObject({
  epsMicro: zInt.optional(),
  bvpsMicro: zInt.optional(),
  revenueFen: zInt.optional(),
  netProfitFen: zInt.optional(),
  equityFen: zInt.optional(),
  totalShares: zCount.optional(),
  floatShares: zCount.optional(),
  dividendPerShareMicro: zCount.optional(),
});
export type FundamentalValues = z.infer<typeof FundamentalValues>;

/**
 * A periodic report published: `period` is the report period end (a quarter end), `announcedDay`
 * the day it was published (公告日期). The figures are usable from the day after `announcedDay`
 * (a report published after the close must not reach that day's decisions). The same `period`
 * announced again later is a restatement: it supersedes the earlier figures from its own
 * `announcedDay` on, never retroactively.
 */
export const FundamentalsReported = z.object({
  type: z.literal('FundamentalsReported'),
  data: z.strictObject({
    symbol: zSymbol,
    period: zDay.refine(isQuarterEnd, { message: 'period must be a quarter end (MM-DD 03-31, 06-30, 09-30 or 12-31)' }),
    announcedDay: zDay,
    values: FundamentalValues,
  }).refine((d) => d.announcedDay >= d.period, { message: 'announcedDay must not be before the period end', path: ['announcedDay'] }),
});
export type FundamentalsReported = z.infer<typeof FundamentalsReported>;

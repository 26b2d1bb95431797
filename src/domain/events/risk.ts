import { z } from 'zod';
import { zDay, zPriceMilli, zShares, zSymbol } from './primitives.js';

export const TradingStateName = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);

/**
 * The account's trading state moved (issue 6): ACTIVE trades normally, REDUCING only sells what it
 * holds, HALTED denies every order. `by` is a person's name or `risk:<rule>` for an automatic move;
 * only a person may loosen (domain/risk/tradingState.ts), except the configured drawdown
 * re-activation policy (`policy:afterDays`, `policy:onRecovery`: REDUCING → ACTIVE only,
 * domain/risk/reactivation.ts).
 */
export const TradingStateChanged = z.object({
  type: z.literal('TradingStateChanged'),
  data: z.strictObject({
    day: zDay,
    from: TradingStateName,
    to: TradingStateName,
    by: z.string().min(1),
    why: z.string().min(1),
  }),
});

/**
 * A protective exit fired on the day's bar (domain/risk/stops.ts). Its sell order, if any, follows
 * as an OrderRequested caused by this event and passes the gate like any order; `blockedBy: 'T1'`
 * records a stop that could sell nothing today.
 */
export const StopTriggered = z.object({
  type: z.literal('StopTriggered'),
  data: z.strictObject({
    day: zDay,
    symbol: zSymbol,
    kind: z.enum(['FIXED', 'TRAILING', 'ATR', 'TAKE_PROFIT', 'TIME']),
    triggerPrice: zPriceMilli,
    qty: zShares,
    blockedBy: z.literal('T1').nullable(),
    reason: z.string().min(1),
  }),
});

/**
 * Reference data of instruments as the data source gives it, from `day` on: sector (industry)
 * classification and issued (total) shares. Columnar: entry i belongs to `symbols[i]`; null = not
 * given; a later event overrides per symbol and field. The sector-concentration and disclosure rules
 * read it (issued shares also come from FundamentalsReported); symbols never classified share one
 * pooled sector, and unknown issued shares deny a buy while the disclosure rule is on.
 */
export const InstrumentsReferenced = z.object({
  type: z.literal('InstrumentsReferenced'),
  data: z.strictObject({
    day: zDay,
    source: z.string().min(1),
    symbols: z.array(zSymbol),
    sectors: z.array(z.string().min(1).max(64).nullable()),
    totalShares: z.array(zShares.positive().nullable()),
  }).refine((d) => d.symbols.length === d.sectors.length && d.symbols.length === d.totalShares.length, {
    message: 'symbols, sectors and totalShares must have the same length',
  }),
});

import { z } from 'zod';
import { zDay, zFen, zPriceMilli, zShares, zSymbol } from './primitives.js';

/**
 * All bars of one trading day, in columnar layout: one event per day rather than one per bar, so a
 * full-market day (5,000 symbols) is one journal row, one hash and one parse. Arrays are aligned by
 * index; prices in 0.001 CNY, volume in shares, amount in fen; `preClose` is the exchange reference
 * price (null when the source did not give it); `isSt` 1 while under risk warning. Suspended symbols
 * have no entry. This is the in-memory form of every version; from v2 the journal stores it packed
 * (barsCodec.ts: about 27 bytes a bar instead of 63), and decodeEvent unpacks it.
 */
export const BarsClosed = z.object({
  type: z.literal('BarsClosed'),
  data: z.strictObject({
    day: zDay,
    symbols: z.array(zSymbol),
    open: z.array(zPriceMilli),
    high: z.array(zPriceMilli),
    low: z.array(zPriceMilli),
    close: z.array(zPriceMilli),
    volume: z.array(zShares),
    amountFen: z.array(zFen.nonnegative()),
    preClose: z.array(zPriceMilli.nullable()),
    isSt: z.array(z.union([z.literal(0), z.literal(1)])),
  }),
});

/**
 * A cash dividend arriving on its pay day (per-share amount in 0.000001 CNY; gross cash rounded down to
 * the fen, `taxFen` withheld). It clears the receivable its `DividendEntitled` opened on the ex-day.
 */
export const DividendPaid = z.object({
  type: z.literal('DividendPaid'),
  data: z.strictObject({
    day: zDay,
    symbol: zSymbol,
    qty: zShares,
    cashPerShareMicro: z.number().int().positive(),
    amountFen: zFen.nonnegative(),
    taxFen: zFen.nonnegative(),
  }),
});

/** End-of-day marker written after every decision of the day: the valuation the engine saw. */
export const DayClosed = z.object({
  type: z.literal('DayClosed'),
  data: z.strictObject({
    day: zDay,
    cashFen: zFen,
    positionsValueFen: zFen,
    equityFen: zFen,
    positions: z.number().int().nonnegative(),
  }),
});

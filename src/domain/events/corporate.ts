import { z } from 'zod';
import { zDay, zFen, zShares, zSymbol } from './primitives.js';

/** A per-share ratio in millionths: 10送3 (3 bonus shares per 10 held) is 300,000. */
const zPerShareMicro = z.number().int().nonnegative();

/**
 * A cash dividend owed to a holding (an answer of the broker/registrar on the ex-day, 除权除息日).
 * `day` is the ex-day; `qty` the shares held at the record-day close (股权登记日); `cashPerShareMicro`
 * the pre-tax cash per share in 0.000001 CNY; `amountFen = ⌊qty × cashPerShareMicro / 10,000⌋`
 * (rounded down, as registrars credit). The cash is a receivable until `DividendPaid` on `payDay`.
 * Events `DividendEntitled` → `DividendPaid` (same symbol, `DividendPaid.day = payDay`, same
 * `cashPerShareMicro`) form one dividend; a `DividendPaid` with no entitlement before it (journals
 * written before this event existed) still credits its cash at once.
 */
export const DividendEntitled = z.object({
  type: z.literal('DividendEntitled'),
  data: z.strictObject({
    day: zDay,
    symbol: zSymbol,
    qty: zShares,
    cashPerShareMicro: z.number().int().positive(),
    payDay: zDay,
    amountFen: zFen.nonnegative(),
  }).refine((d) => d.payDay >= d.day, { message: 'payDay must not be before the ex-day', path: ['payDay'] }),
});

/**
 * Bonus shares (送股, from retained earnings) and conversion shares (转增, from capital reserve)
 * credited on the ex-day (`day`) to `qtyBefore`, the shares held at the record-day close. Ratios in
 * millionths of a share per share held (10送3 → `bonusPerShareMicro` 300,000); each quantity is
 * rounded down to whole shares on its own: `bonusQty = ⌊qtyBefore × bonusPerShareMicro / 10^6⌋`,
 * likewise `conversionQty` (CSDC allocates the fractions by its own 零碎股 procedure; we drop them).
 * No cash moves and the cost basis is unchanged, so the average cost per share falls.
 */
export const SharesDistributed = z.object({
  type: z.literal('SharesDistributed'),
  data: z.strictObject({
    day: zDay,
    symbol: zSymbol,
    qtyBefore: zShares,
    bonusPerShareMicro: zPerShareMicro,
    conversionPerShareMicro: zPerShareMicro,
    bonusQty: zShares,
    conversionQty: zShares,
  }),
});

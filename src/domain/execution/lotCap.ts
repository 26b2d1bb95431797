import type { LotRule } from '../market/board.js';
import { mulDivRound } from '../money.js';

/**
 * Quantity rules a simulated fill must respect (ashare-market-rules.md §3, S50, S26): an order and
 * every partial fill is `minBuy` shares plus whole `step`s (main board 100 + 100s, STAR 200 + 1s,
 * BSE 100 + 1s). Sells follow the same lots, except that an odd remainder of the position (below a
 * lot) must go in one order: it may be sold only whole.
 */
export const isLotValid = (qty: number, lot: LotRule): boolean =>
  Number.isSafeInteger(qty) && qty >= lot.minBuy && (qty - lot.minBuy) % lot.step === 0;

/** A sell is valid when lot-valid, or when it sells the whole held position (the odd-remainder rule). */
export const isSellQtyValid = (qty: number, lot: LotRule, heldQty: number | undefined): boolean =>
  isLotValid(qty, lot) || (Number.isSafeInteger(qty) && qty > 0 && qty === heldQty);

/** Largest lot-valid quantity not above `cap` shares; 0 when `cap` is below the minimum (rounding `down`). */
export const roundDownToLot = (cap: number, lot: LotRule): number =>
  cap < lot.minBuy ? 0 : lot.minBuy + Math.floor((cap - lot.minBuy) / lot.step) * lot.step;

const PPB = 1_000_000_000;

/**
 * Shares a bar lets one order take: floor(volume × participation). The participation fraction is read
 * to nine decimals first, so 0.29 × 100 is 29 and not float's 28.999….
 */
export const participationCap = (volume: number, participation: number): number =>
  mulDivRound(volume, Math.round(participation * PPB), PPB, 'floor');

/**
 * Shares of a lot-valid order of `qty` that may fill when at most `cap` shares are available: all of
 * it when it fits (this is how a whole odd remainder goes), else the cap rounded down to the lot rule.
 * Buys and sells share the rule.
 */
export function fillableQty(qty: number, cap: number, lot: LotRule): number {
  if (qty <= cap) return qty;
  return roundDownToLot(cap, lot);
}

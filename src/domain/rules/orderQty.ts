import type { Side } from '../events/primitives.js';
import type { LotRule } from '../market/board.js';

/**
 * Whether an order of `qty` shares is a valid size (ashare-market-rules.md §3, [V] S50, S26): buys are
 * `minBuy + k × step`; sells too, except that the part of a holding below one lot (main board and
 * ChiNext: the odd shares under 100; STAR/BSE: a whole holding under 200/100) must be sold in one
 * order, alone or together with valid lots. `heldQty` matters for sells only.
 */
export function isValidLotQty(rule: LotRule, side: Side, qty: number, heldQty = 0): boolean {
  if (!Number.isSafeInteger(qty) || qty <= 0) return false;
  const regular = (n: number): boolean => n >= rule.minBuy && (n - rule.minBuy) % rule.step === 0;
  if (side === 'buy') return regular(qty);
  if (qty > heldQty) return false;
  if (qty === heldQty || regular(qty)) return true;
  const odd = heldQty < rule.minBuy ? heldQty : rule.step > 1 ? heldQty % rule.step : 0;
  return odd > 0 && (qty === odd || regular(qty - odd));
}

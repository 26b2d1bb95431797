import type { DataOf } from '../events/domainEvent.js';
import type { TradingDay } from '../tradingDay.js';
import { createPrng } from './prng.js';
import { drawTotalShares } from './syntheticFundamentals.js';

/** Sector names for the synthetic universe (broad SW level-1-like groups; not a real classification). */
export const SYNTHETIC_SECTORS = [
  'banks', 'non-bank-finance', 'real-estate', 'food-beverage', 'pharma', 'electronics', 'computers',
  'machinery', 'chemicals', 'autos', 'power-equipment', 'utilities',
] as const;

/**
 * Reference data for a synthetic universe, journaled on the first trading day: each symbol's
 * sector, drawn from the seed, and its issued shares, the same figure its synthetic fundamentals
 * report (drawTotalShares on the same stream as generateFundamentals).
 */
export function generateReference(symbols: readonly string[], day: TradingDay, seed: number | string): DataOf<'InstrumentsReferenced'> {
  const sorted = [...symbols].sort();
  return {
    day, source: `synthetic reference, seed ${seed}`, symbols: sorted,
    sectors: sorted.map((s) => SYNTHETIC_SECTORS[createPrng(seed, 'sector', s).int(0, SYNTHETIC_SECTORS.length - 1)]!),
    totalShares: sorted.map((s) => drawTotalShares(createPrng(seed, 'fundamentals', s))),
  };
}

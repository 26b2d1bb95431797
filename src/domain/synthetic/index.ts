export * from './prng.js';
export * from './marketGenerator.js';
export { isOpenDay, MAX_SYNTHETIC_SYMBOLS, SYNTHETIC_BOARDS, syntheticTradingDays } from './syntheticUniverse.js';
export type { SyntheticBoard, SyntheticInstrument } from './syntheticUniverse.js';
export * from './syntheticFundamentals.js';
export * from './syntheticReference.js';

// Public surface of issue 3's daily-bar matching, for execution/index.ts to re-export (export * from './matching.js').
export * from './dailyMatcher.js';
export * from './lotCap.js';
export * from './slippage.js';

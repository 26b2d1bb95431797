export * from './metrics.js';
export * from './riskMetrics.js';
export * from './roundTrips.js';
export * from './exposure.js';
export * from './monthlyReturns.js';
export * from './benchmark.js';
export * from './performance.js';

export * from './covariance.js';
export * from './projection.js';
export * from './equalWeight.js';
export * from './riskParity.js';
export * from './meanVariance.js';
export * from './schedule.js';
export * from './rebalance.js';

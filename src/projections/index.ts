export * from './portfolio.js';
export * from './orders.js';
export * from './equityCurve.js';
export * from './projections.js';
export * from './risk.js';
export * from './execution.js';

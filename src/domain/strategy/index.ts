export * from './strategy.js';
export * from './smaCrossover.js';
export * from './planOrders.js';

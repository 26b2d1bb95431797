export * from './primitives.js';
export * from './run.js';
export * from './market.js';
export * from './strategy.js';
export * from './orders.js';
export * from './domainEvent.js';
export * from './upcast.js';
export * from './envelope.js';

export * from './clock.js';
export * from './idGenerator.js';
export * from './journal.js';

export * from './clock.js';
export * from './idGenerator.js';
export * from './journal.js';
export * from './broker.js';
export * from './feed.js';

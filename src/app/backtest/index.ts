export * from './market.js';
export * from './summariseJournal.js';
export * from './runBacktest.js';

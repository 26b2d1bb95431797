export * from './market.js';
export * from './summariseJournal.js';
export * from './runBacktest.js';
export * from './paperBrokerFor.js';
export * from './backtestPorts.js';

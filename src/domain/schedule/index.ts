export * from './tradingSchedule.js';

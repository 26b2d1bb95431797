export * from './feeSchedule.js';

export * from './tradingSchedule.js';
export * from './airgap.js';

export * from './provider.js';
export * from './updateSchedule.js';

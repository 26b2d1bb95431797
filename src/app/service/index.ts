export * from './runService.js';
export * from './serviceLog.js';
export * from './status.js';
export { paperBrokerPath } from './serviceBroker.js';

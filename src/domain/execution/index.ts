export * from './matching.js';
export * from './brokerReports.js';

export * from './buildReport.js';

export * from './provider.js';
export * from './updateSchedule.js';
export * from './finding.js';
export * from './validator.js';
export * from './applyPolicies.js';
export * from './rejectionSummary.js';
export * from './adjustment.js';

export * from './provider.js';
export * from './updateSchedule.js';
export * from './finding.js';
export * from './validator.js';
export * from './applyPolicies.js';

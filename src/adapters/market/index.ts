export * from './calendarFile.js';
export * from './marketRulesFile.js';

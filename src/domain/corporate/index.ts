export * from './corporateAction.js';
export * from './corporateActionAnswers.js';
export * from './adjustment.js';
export * from './backAdjuster.js';

export * from './fileError.js';
export * from './labelledCsv.js';
export * from './lexiconFiles.js';
export * from './modelFile.js';
export * from './offlineScorers.js';
export * from './llmScorer.js';

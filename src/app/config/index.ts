export * from './appConfig.js';
export * from './loadConfig.js';
export * from './rules.js';
export * from './dataConfig.js';

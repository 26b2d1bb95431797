export * from './dataContext.js';
export * from './ingest.js';
export * from './update.js';

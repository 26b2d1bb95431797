export * from './scorer.js';

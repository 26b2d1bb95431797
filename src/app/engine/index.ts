export * from './kernel.js';
export * from './dayCycle.js';
export * from './engine.js';
export * from './replay.js';

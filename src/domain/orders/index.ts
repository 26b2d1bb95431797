export * from './orderLifecycle.js';

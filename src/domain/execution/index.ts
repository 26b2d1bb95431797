export * from './nextOpen.js';
export * from './matching.js';

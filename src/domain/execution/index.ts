export * from './nextOpen.js';

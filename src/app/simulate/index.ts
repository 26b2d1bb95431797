export * from './orderLine.js';
export * from './simulate.js';
export * from './instrumentsCsv.js';

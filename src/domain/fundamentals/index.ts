export * from './fundamentalsStore.js';
export * from './ttm.js';
export * from './valuationRatios.js';
export * from './fundamentalsView.js';

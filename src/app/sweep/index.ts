export * from './grid.js';
export * from './runSweep.js';
export * from './walkForward.js';

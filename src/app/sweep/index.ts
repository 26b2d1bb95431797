export * from './distributedSweep.js';
export * from './grid.js';
export * from './runSweep.js';
export * from './sweepJob.js';
export * from './walkForward.js';

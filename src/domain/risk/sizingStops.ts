/** Public surface of position sizing and protective stops (issue 6 items 3 and 4). */
export * from './sizing.js';
export * from './stops.js';

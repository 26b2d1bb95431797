export * from './preTradeGate.js';

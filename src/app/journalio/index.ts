export * from './decodeEvent.js';
export * from './readJournal.js';

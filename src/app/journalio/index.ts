export * from './decodeEvent.js';
export * from './journalLocator.js';
export * from './readJournal.js';

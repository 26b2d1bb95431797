// The channel's key derivation lives with the journal key it derives from (adapters/journal/journalKey.ts).
export { derivedKey } from '../journal/journalKey.js';

export { createMemoryJournal } from './memoryJournal.js';
export { openSqliteJournal, type Durability, type SqliteJournal, type SqliteJournalOptions } from './sqliteJournal.js';
export {
  applyJournalKey, cipherPragmas, generateKeyFile, keyFromEnvironment, readKeyFile, type JournalKey, type PragmaRunner,
} from './journalKey.js';
export { verifyJournalFile, type VerifyFailureCode, type VerifyResult } from './verifyJournal.js';
export { openKurrentJournal, createKurrentJournal, kurrentStreamName, type KurrentStreamClient, type KurrentRetryOptions, type KurrentJournalOptions } from './kurrentJournal.js';

export { createMemoryJournal } from './memoryJournal.js';
export { openSqliteJournal, type Durability, type SqliteJournal, type SqliteJournalOptions } from './sqliteJournal.js';
export {
  applyJournalKey, cipherPragmas, generateKeyFile, keyFromEnvironment, readKeyFile, type JournalKey, type PragmaRunner,
} from './journalKey.js';
export { verifyJournalFile, type VerifyFailureCode, type VerifyResult } from './verifyJournal.js';
export { openTailVerifier, type TailVerifier } from './verifyTail.js';
// The KurrentDB adapter is not re-exported here: importing this index must not load its client (it
// opens sockets at load time); whoever selects KurrentDB imports './kurrentJournal.js' itself.

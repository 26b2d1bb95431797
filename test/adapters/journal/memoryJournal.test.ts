import { createMemoryJournal } from '../../../src/adapters/journal/memoryJournal.js';
import { describeJournalContract } from './journalContract.js';

describeJournalContract('memory', async () => {
  const journal = createMemoryJournal();
  return { journal, cleanup: () => journal.close() };
});

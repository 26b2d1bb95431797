import type { JournalError, JournalErrorCode } from '../../domain/ports/journal.js';

/** A journal failure: its stable code and one sentence for the user. */
export const journalError = (code: JournalErrorCode, message: string): JournalError => ({ code, message });

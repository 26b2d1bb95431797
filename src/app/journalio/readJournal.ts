import { isLeft } from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { JournalError, ReadFilter } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import type { RecordedEvent } from '../engine/replay.js';
import { decodeEvent } from './decodeEvent.js';
import { openJournalAt, shownJournal } from './journalLocator.js';

/**
 * Reads a journal (a file, or a `postgres://` URL), validating every event at the edge. A journal that does not decode is an
 * error naming the first bad seq (`ashare journal verify` tells whether the chain itself is intact).
 */
export async function readJournalFile(
  path: string, key: JournalKey | undefined, filter: ReadFilter = {},
): Promise<Either<JournalError, RecordedEvent[]>> {
  const opened = await openJournalAt(path, { durability: 'fast', key, readonly: true });
  if (isLeft(opened)) return opened;
  const shown = shownJournal(path);
  const j = opened.right;
  const out: RecordedEvent[] = [];
  try {
    for await (const e of j.read(filter)) {
      const d = decodeEvent(e);
      if (!d.ok) return left({ code: 'JOURNAL_BAD_EVENT', seq: e.seq, message: `event seq ${e.seq} in ${shown} is not valid: ${d.message}` });
      out.push({ ...e, ...d.event } as RecordedEvent);
    }
  } catch (err) {
    return left({ code: 'JOURNAL_CORRUPT', message: `cannot read ${shown}: ${(err as Error).message}` });
  } finally {
    await j.close();
  }
  return right(out);
}

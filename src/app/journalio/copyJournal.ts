import { isLeft } from 'fp-ts/lib/Either.js';
import type { Journal, NewEvent, StoredEvent } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { AppError, EXIT, journalAppError } from '../errors.js';
import { openJournalAt, shownJournal, verifyJournalAt } from './journalLocator.js';

export interface CopyOptions {
  readonly fromKey?: JournalKey;
  readonly toKey?: JournalKey;
  /** Events per append (each one transaction on the destination); default 500. */
  readonly batch?: number;
  readonly onProgress?: (copiedSeq: number, headSeq: number) => void;
}

export interface CopySummary {
  readonly from: string;
  readonly to: string;
  /** Events the destination already held (an earlier, interrupted copy) and that were not copied again. */
  readonly alreadyThere: number;
  readonly copied: number;
  readonly headSeq: number;
  readonly headHash: string;
}

const toNewEvent = ({ seq: _s, day: _d, prevHash: _p, hash: _h, ...e }: StoredEvent): NewEvent => e;

async function open(locator: string, key: JournalKey | undefined, create: boolean): Promise<Journal> {
  const r = await openJournalAt(locator, { key, create, readonly: !create, durability: 'durable' });
  if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.journal);
  return r.right;
}

/**
 * Copies a journal between backends (SQLite file ⇄ PostgreSQL URL, or any pair) event by event,
 * same seqs, same hashes. The source's chain is verified first; every batch appended to the
 * destination must come out with the source's hash (the destination recomputes the chain), and the
 * destination is verified at the end. Resumable: a destination that already holds a prefix of the
 * source (an interrupted copy; each batch is one transaction, so only whole batches) is continued
 * from its head; a destination holding anything else is refused.
 */
export async function copyJournal(from: string, to: string, o: CopyOptions = {}): Promise<CopySummary> {
  const shownFrom = shownJournal(from), shownTo = shownJournal(to);
  const checked = await verifyJournalAt(from, o.fromKey);
  if (!checked.ok) {
    if (checked.seq === null) throw new AppError(checked.code, checked.reason, EXIT.journal);
    throw new AppError(checked.code, `the source ${shownFrom} fails its check at seq ${checked.seq} (${checked.reason}); nothing was copied`, EXIT.checkFailed);
  }
  const src = await open(from, o.fromKey, false);
  let dst: Journal | undefined;
  try {
    dst = await open(to, o.toKey, true);
    const start = await dst.head();
    if (start.seq > checked.headSeq) {
      throw new AppError('JOURNAL_COPY_MISMATCH', `${shownTo} holds ${start.seq} events, more than the source ${shownFrom} (${checked.headSeq}); it is another journal`, EXIT.journal);
    }
    if (start.seq > 0) {
      let at: StoredEvent | undefined;
      for await (const e of src.read({ fromSeq: start.seq, toSeq: start.seq })) at = e;
      if (at?.hash !== start.hash) {
        throw new AppError('JOURNAL_COPY_MISMATCH', `${shownTo} is not a copy of ${shownFrom}: their events differ at or before seq ${start.seq}; copy to an empty journal`, EXIT.journal);
      }
    }
    const size = Math.max(1, o.batch ?? 500);
    let expected = start.seq;
    let batch: StoredEvent[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const last = batch[batch.length - 1]!;
      const r = await dst!.append(batch.map(toNewEvent), expected);
      if (isLeft(r)) throw journalAppError(r.left, shownTo);
      if (r.right.lastSeq !== last.seq || r.right.headHash !== last.hash) {
        throw new AppError('JOURNAL_HASH_MISMATCH', `copying seq ${batch[0]!.seq}…${last.seq} to ${shownTo} gave another hash than the source's; the copy stops there`, EXIT.journal);
      }
      expected = last.seq;
      batch = [];
      o.onProgress?.(expected, checked.headSeq);
    };
    for await (const e of src.read({ fromSeq: start.seq + 1, toSeq: checked.headSeq })) {
      batch.push(e);
      if (batch.length >= size) await flush();
    }
    await flush();
    await dst.close();
    dst = undefined;
    const after = await verifyJournalAt(to, o.toKey);
    if (!after.ok || after.headSeq !== checked.headSeq || after.headHash !== checked.headHash) {
      const why = after.ok ? `its head is seq ${after.headSeq}, not the source's ${checked.headSeq}` : after.reason;
      throw new AppError('JOURNAL_HASH_MISMATCH', `the copy ${shownTo} fails its check: ${why}`, EXIT.checkFailed);
    }
    return { from: shownFrom, to: shownTo, alreadyThere: start.seq, copied: checked.headSeq - start.seq, headSeq: after.headSeq, headHash: after.headHash };
  } finally {
    await dst?.close();
    await src.close();
  }
}

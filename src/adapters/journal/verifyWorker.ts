import { parentPort, workerData } from 'node:worker_threads';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { JournalHead } from '../../domain/ports/journal.js';
import type { JournalKey } from './journalKey.js';
import { describeStorageError, firstIntegrityProblem, type VerifyResult } from './rowCheck.js';
import { openJournalDatabase } from './sqliteOpen.js';
import { checkTailOn } from './verifyTail.js';

/*
 * A worker thread of `verifyJournalFile` on a long journal: on its own read-only connection it
 * either checks the events after `from` up to `to` (the walk's second half) or runs SQLite's
 * integrity_check, and posts one answer.
 */

export type VerifyJob =
  | { readonly task: 'tail'; readonly path: string; readonly key: JournalKey | undefined; readonly from: JournalHead; readonly to: JournalHead }
  | { readonly task: 'integrity'; readonly path: string; readonly key: JournalKey | undefined };

export type VerifyJobAnswer =
  | { readonly kind: 'tail'; readonly result: VerifyResult }
  | { readonly kind: 'integrity'; readonly problem: string | null };

function run(job: VerifyJob): VerifyJobAnswer | null {
  const opened = openJournalDatabase({ path: job.path, key: job.key, readonly: true });
  if (isLeft(opened)) return null; // the main thread opened it: let it do this part itself and say what is wrong
  const { db } = opened.right;
  try {
    if (job.task === 'tail') return { kind: 'tail', result: checkTailOn(db, job.from, job.to) };
    return { kind: 'integrity', problem: firstIntegrityProblem(db) };
  } catch (e) {
    return job.task === 'integrity' ? { kind: 'integrity', problem: describeStorageError(e) } : null;
  } finally {
    db.close();
  }
}

if (parentPort !== null) {
  const answer = run(workerData as VerifyJob);
  if (answer !== null) parentPort.postMessage(answer);
}

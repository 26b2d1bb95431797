import { Worker } from 'node:worker_threads';
import { isLeft } from 'fp-ts/lib/Either.js';
import { GENESIS_HASH } from '../../domain/events/envelope.js';
import type { JournalHead } from '../../domain/ports/journal.js';
import { anchorKey, anchorPathOf, anchorProblem, readAnchor } from './anchor.js';
import type { JournalKey } from './journalKey.js';
import { keyOrDamage } from './keyOrDamage.js';
import { openKeyedSqlite } from '../sqlite/openKeyedSqlite.js';
import { fail, firstIntegrityProblem, walkRows, type VerifyResult } from './rowCheck.js';
import { journalOpenError, type SqliteDatabase } from './sqliteOpen.js';
import { checkJournalSchema, EVENT_COLUMNS } from './sqliteSchema.js';
import { checkTailOn } from './verifyTail.js';
import { workerUrl } from '../workerUrl.js';
import type { VerifyJob, VerifyJobAnswer } from './verifyWorker.js';

export { checkRow, checkStoredRow, type VerifyFailureCode, type VerifyResult } from './rowCheck.js';

export interface VerifyOptions {
  /** false: do not check the head anchor (`--no-anchor`). */
  readonly anchor?: boolean;
  /** Journals with at least this many events are checked on worker threads (default PARALLEL_FROM). */
  readonly parallelFrom?: number;
  /** The worker script (default: the compiled verifyWorker.js, see workerUrl). */
  readonly workerUrl?: URL;
  /** Told how a parallel check went: where the walk was split and how many of its two workers answered (the rest ran here). */
  readonly onSplit?: (s: { readonly split: number; readonly head: number; readonly workersAnswered: number }) => void;
}

/**
 * From this many events on, the walk's second half and SQLite's integrity_check run on worker
 * threads beside the first half: each worker costs ~0.1 s to start (its own isolate, modules and
 * connection), which a walk of this length repays on two cores.
 */
export const PARALLEL_FROM = 20_000;

/**
 * Verifies a journal file offline, read-only (the database file is not written): every row in seq
 * order must be the next seq, chain to its predecessor's hash, hold canonical JSON data and match
 * its own hash (`checkEntry`), and carry `day = dayOfMs(occurred_at)`. A storage error mid-walk is
 * reported at the seq after the last good one as "storage corrupt: …". When the walk passes, SQLite's
 * `integrity_check` must pass too: it also covers the indexes (the event-id index is what makes
 * retries idempotent) and free pages, which the walk never reads. Reports the first problem only.
 * An encrypted journal that will not open with the key is told apart by its head anchor where it
 * can (`keyOrDamage`): a damaged file (JOURNAL_CORRUPT) or a wrong key (JOURNAL_KEY_INVALID).
 */
export async function verifyJournalFile(path: string, key?: JournalKey, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const opened = openKeyedSqlite({ path, key, readonly: true }, 'journal');
  if (isLeft(opened)) {
    const e = (opened.left.keyOrDamage === true && key !== undefined ? keyOrDamage(path, key) : null) ?? journalOpenError(opened.left);
    return fail(e.code, null, e.message);
  }
  const { db } = opened.right;
  try {
    const schema = checkJournalSchema(db, path);
    if (isLeft(schema)) return fail(schema.left.code, null, schema.left.message);
    const walked = await checkChainAndStorage(db, path, key, opts);
    if (!walked.ok) return walked;
    if (opts.anchor === false) {
      return { ...walked, anchor: null, warning: `the head anchor (${anchorPathOf(path)}) was not checked (--no-anchor): events cut from the end of the journal would not be noticed` };
    }
    return checkAnchored(db, path, key, walked);
  } finally {
    db.close();
  }
}

/**
 * The chain must reach the head anchored beside the journal: a journal shorter than its anchor lost
 * its tail (exit 1, naming the missing seqs); a journal longer than it is a crash between a commit
 * and the anchor's update (accepted: the anchor lags, never leads) provided the anchored event is
 * the one in the journal. A missing, unreadable or forged anchor fails with what to do.
 */
function checkAnchored(db: SqliteDatabase, path: string, key: JournalKey | undefined, walked: Extract<VerifyResult, { ok: true }>): VerifyResult {
  const ap = anchorPathOf(path);
  const r = readAnchor(path);
  if (r.kind === 'missing' && walked.headSeq === 0) {
    // A creation killed after the empty journal was linked into place and before its first anchor
    // was written: there is no event to cut, and the first writer anchors it.
    return { ...walked, anchor: null, warning: `the journal is empty and has no head anchor yet (${ap}): its creation was interrupted before the anchor was written` };
  }
  if (r.kind === 'missing') {
    return fail('JOURNAL_ANCHOR', null, `no head anchor ${ap}: without it, events cut from the end of the journal cannot be noticed (if it was lost for a known reason, verify with --no-anchor)`);
  }
  if (r.kind === 'unreadable') return fail('JOURNAL_ANCHOR', null, `the head anchor ${ap} ${r.why}`);
  const k = anchorKey(key);
  if (isLeft(k)) return fail(k.left.code, null, k.left.message);
  const forged = anchorProblem(r.anchor, k.right);
  if (forged !== null) return fail('JOURNAL_ANCHOR', null, `the head anchor ${ap} ${forged}`);
  const a = r.anchor;
  if (a.seq > walked.headSeq) {
    const missing = a.seq === walked.headSeq + 1 ? `event ${a.seq} is` : `events ${walked.headSeq + 1}…${a.seq} are`;
    return fail('JOURNAL_TRUNCATED', walked.headSeq + 1, `the journal ends at seq ${walked.headSeq} but its anchor records seq ${a.seq} (written ${a.at}): ${missing} missing`);
  }
  const at = a.seq === 0 ? { hash: GENESIS_HASH } : db.prepare<[number], { hash: string }>('SELECT hash FROM events WHERE seq = ?').get(a.seq);
  if (at?.hash !== a.hash) {
    return fail('JOURNAL_ANCHOR', a.seq, `the event at seq ${a.seq} is not the one its anchor records (hash ${a.hash.slice(0, 12)}…): the journal was rewritten after it`);
  }
  return { ...walked, anchor: { seq: a.seq, hash: a.hash, at: a.at } };
}

/**
 * The chain walk, then integrity_check (reported only when the walk passes, so the first bad event
 * is what is said). A long journal is split at its middle event M: this thread walks 1…M while one
 * worker checks M…head as the tail verifier does (M's own hash, then each later row chained from
 * it) and another runs integrity_check; the halves join when this walk ends on M's stored hash. A
 * passphrase journal stays on one thread (each extra connection would stretch the passphrase
 * again), and so does any verify whose workers cannot start: the answer is the same either way.
 */
async function checkChainAndStorage(db: SqliteDatabase, path: string, key: JournalKey | undefined, opts: VerifyOptions): Promise<VerifyResult> {
  let head: JournalHead | undefined, split: JournalHead | undefined;
  try {
    head = db.prepare<[], JournalHead>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get();
    if (head !== undefined && head.seq >= (opts.parallelFrom ?? PARALLEL_FROM) && key?.kind !== 'passphrase') {
      split = db.prepare<[number], JournalHead>('SELECT seq, hash FROM events WHERE seq <= ? ORDER BY seq DESC LIMIT 1').get(Math.floor(head.seq / 2));
    }
  } catch {
    split = undefined; // a page it could not read: the walk below says where, as "storage corrupt"
  }
  if (head === undefined || split === undefined) {
    const walked = walkChain(db, Number.MAX_SAFE_INTEGER);
    if (!walked.ok) return walked;
    const problem = firstIntegrityProblem(db);
    return problem === null ? walked : fail('JOURNAL_CORRUPT', null, `storage corrupt: ${problem}`);
  }
  const url = opts.workerUrl ?? workerUrl('verifyWorker.js', import.meta.url);
  const tailJob = inWorker(url, { task: 'tail', path, key, from: split, to: head });
  const storageJob = inWorker(url, { task: 'integrity', path, key });
  const first = walkChain(db, split.seq);
  const [tailAnswer, storageAnswer] = await Promise.all([tailJob, storageJob]);
  opts.onSplit?.({ split: split.seq, head: head.seq, workersAnswered: (tailAnswer === null ? 0 : 1) + (storageAnswer === null ? 0 : 1) });
  if (!first.ok) return first;
  if (first.headSeq !== split.seq || first.headHash !== split.hash) {
    return fail('JOURNAL_HASH_MISMATCH', split.seq, `event ${split.seq} changed while the journal was being verified`);
  }
  const tail = tailAnswer?.kind === 'tail' ? tailAnswer.result : checkTailOn(db, split, head);
  if (!tail.ok) return tail;
  const problem = storageAnswer?.kind === 'integrity' ? storageAnswer.problem : firstIntegrityProblem(db);
  if (problem !== null) return fail('JOURNAL_CORRUPT', null, `storage corrupt: ${problem}`);
  return { ok: true, events: first.events + tail.events, headSeq: tail.headSeq, headHash: tail.headHash };
}

/** Runs one job on a worker thread; null when the worker could not start or died without answering. */
function inWorker(url: URL, job: VerifyJob): Promise<VerifyJobAnswer | null> {
  return new Promise((resolve) => {
    let w: Worker;
    try {
      // Its stdout/stderr are piped to this thread and never read: a key-file permission warning is said once, here.
      w = new Worker(url, { workerData: job, stdout: true, stderr: true });
    } catch {
      resolve(null);
      return;
    }
    let answer: VerifyJobAnswer | null = null;
    w.once('message', (m: VerifyJobAnswer) => { answer = m; });
    w.once('error', () => resolve(null));
    w.once('exit', () => resolve(answer));
  });
}

/**
 * Walks rows seq 1…`upTo` in order from the genesis hash (raw rows: arrays in EVENT_COLUMNS order,
 * which better-sqlite3 builds a third faster than objects).
 */
function walkChain(db: SqliteDatabase, upTo: number): VerifyResult {
  const w = walkRows(() => db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq <= ? ORDER BY seq`).raw(true).iterate(upTo) as Iterable<unknown[]>, 1, GENESIS_HASH);
  return w.ok ? { ok: true, events: w.nextSeq - 1, headSeq: w.nextSeq - 1, headHash: w.lastHash } : w;
}

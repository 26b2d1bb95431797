import { isLeft } from 'fp-ts/lib/Either.js';
import type { JournalKey, SqliteJournal } from '../../adapters/journal/index.js';
import { openSqliteJournal, verifyJournalFile } from '../../adapters/journal/index.js';
import type { StoredEvent, Subscription } from '../../domain/index.js';
import { AppError, EXIT } from '../errors.js';
import { decodeEvent } from '../journalio/index.js';
import type { RecordedEvent } from '../engine/replay.js';
import { DashboardModel } from './readModel.js';

export interface VerifyStatus {
  readonly ok: boolean;
  readonly checkedAt: number;
  readonly lastSeq: number;
  readonly reason: string | null;
  /** The anchored head the chain reached (verify checks it; it may lag the head by the last commit). */
  readonly anchoredSeq: number | null;
}

/**
 * The dashboard's read-only view of a journal: opened read-only (it can never write), followed by a
 * catch-up subscription that turns live (another process's appends are seen within a poll), each
 * event decoded at the edge and folded into the model. The whole chain is verified at start and
 * every `verifyEveryMs`; an event that does not decode stops the fold there and is reported as a
 * verify failure rather than shown half-applied.
 */
export class JournalFollower {
  readonly model = new DashboardModel();
  verify: VerifyStatus | null = null;
  decodeProblem: string | null = null;
  private sub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private waiters: { seq: number; resolve: () => void }[] = [];

  private constructor(readonly path: string, private readonly key: JournalKey | undefined, readonly journal: SqliteJournal, private readonly now: () => number) {}

  static open(path: string, key: JournalKey | undefined, now: () => number): JournalFollower {
    const j = openSqliteJournal({ path, durability: 'fast', key, readonly: true });
    if (isLeft(j)) throw new AppError(j.left.code, j.left.message, EXIT.journal);
    return new JournalFollower(path, key, j.right, now);
  }

  start(verifyEveryMs: number): void {
    this.sub = this.journal.subscribe(1, (e) => this.onEvent(e));
    void this.runVerify();
    this.timer = setInterval(() => void this.runVerify(), verifyEveryMs);
    this.timer.unref();
  }

  private onEvent(e: StoredEvent): void {
    if (this.decodeProblem !== null) return;
    const d = decodeEvent(e);
    if (!d.ok) {
      this.decodeProblem = `event seq ${e.seq} does not decode: ${d.message}`;
      for (const w of this.waiters.splice(0)) w.resolve(); // the fold stops here: nobody waits for what will never come
      return;
    }
    this.model.apply({ ...e, ...d.event } as RecordedEvent);
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.seq <= e.seq);
      this.waiters = this.waiters.filter((w) => w.seq > e.seq);
      for (const w of ready) w.resolve();
    }
  }

  /** Resolves once the model has folded everything the journal holds now. */
  async caughtUp(): Promise<void> {
    await this.reached((await this.journal.head()).seq);
  }

  /** Resolves once the model has folded event `seq` (at once if it has, or if the fold stopped on an event that does not decode). */
  async reached(seq: number): Promise<void> {
    if (this.model.lastSeq >= seq || this.decodeProblem !== null) return;
    await new Promise<void>((resolve) => this.waiters.push({ seq, resolve }));
  }

  async runVerify(): Promise<VerifyStatus> {
    const v = await verifyJournalFile(this.path, this.key);
    this.verify = v.ok
      ? { ok: true, checkedAt: this.now(), lastSeq: v.headSeq, reason: null, anchoredSeq: v.anchor?.seq ?? null }
      : { ok: false, checkedAt: this.now(), lastSeq: v.seq ?? 0, reason: `${v.seq !== null ? `seq ${v.seq}: ` : ''}${v.reason}`, anchoredSeq: null };
    return this.verify;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sub?.close();
    for (const w of this.waiters) w.resolve();
    await this.journal.close();
  }
}

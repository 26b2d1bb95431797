import { chmodSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createRandomIds } from '../../adapters/ids/idGenerators.js';
import type { JournalKey, SqliteJournal } from '../../adapters/journal/index.js';
import { openSqliteJournal } from '../../adapters/journal/index.js';
import type { DataOf, EventType } from '../../domain/index.js';
import { CURRENT_SCHEMA_VERSION } from '../../domain/index.js';
import { AppError, EXIT } from '../errors.js';

type SecurityType = 'DashboardStarted' | 'LoginSucceeded' | 'LoginFailed' | 'LoginLocked' | 'SessionEnded' | 'OperatorActionRequested';

/**
 * The dashboard's security log: its own hash-chained journal file (the same machinery and
 * encryption as a trading journal, verifiable with `ashare journal verify`), appended one event at
 * a time, durably. Appends are serialised in process; a failed append is reported on stderr and
 * never answers a client with its details.
 */
export class SecurityLog {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly ids = createRandomIds();

  private constructor(private readonly journal: SqliteJournal, private readonly now: () => number) {}

  static open(path: string, key: JournalKey | undefined, now: () => number): SecurityLog {
    const j = openSqliteJournal({ path, durability: 'durable', key, create: true });
    if (isLeft(j)) throw new AppError(j.left.code, `security log: ${j.left.message}`, EXIT.journal);
    try {
      chmodSync(path, 0o600); // who signed in from where is for the owner only
    } catch { /* a file owned by someone else keeps its mode; the open succeeded, so it is readable */ }
    return new SecurityLog(j.right, now);
  }

  get path(): string {
    return this.journal.path;
  }

  record<T extends SecurityType>(type: T, data: DataOf<T>): Promise<void> {
    const at = this.now();
    const next = this.chain.then(async () => {
      const r = await this.journal.append([{
        eventId: this.ids.eventId(), stream: 'security', type, schemaVersion: CURRENT_SCHEMA_VERSION[type as EventType],
        occurredAt: at, recordedAt: at, causationId: null, correlationId: null, data,
      }], 'any');
      if (isLeft(r)) process.stderr.write(`ashare dashboard: cannot write the security log ${this.journal.path}: ${r.left.message}\n`);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async head(): Promise<{ seq: number; hash: string }> {
    return this.journal.head();
  }

  async close(): Promise<void> {
    await this.chain;
    await this.journal.close();
  }
}

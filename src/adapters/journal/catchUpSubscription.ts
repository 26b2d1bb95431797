import type { StoredEvent } from '../../domain/events/envelope.js';
import type { Subscription } from '../../domain/ports/journal.js';

/** Events handed to a subscriber per read; bounded because one event can be ~300 KB. */
const PAGE_SIZE = 64;

export interface CatchUpOptions {
  /** First seq to deliver (values below 1 mean "from the start"). */
  readonly fromSeq: number;
  /** Up to `limit` stored events with seq ≥ `fromSeq`, in seq order (read locally, or over the network from a server). */
  readonly readPage: (fromSeq: number, limit: number) => readonly StoredEvent[] | Promise<readonly StoredEvent[]>;
  readonly onEvent: (e: StoredEvent) => void | Promise<void>;
  /** Also look for new events every `pollMs` ms (appends by another process); off when undefined. */
  readonly pollMs?: number;
  /** Called once when the subscription is closed, so the journal can forget it. */
  readonly onClosed?: () => void;
}

export interface CatchUp {
  readonly subscription: Subscription;
  /** New events may be stored: deliver them (no-op while a delivery loop is already running). */
  wake(): void;
}

/**
 * A catch-up subscription that always reads from the store, so catch-up and live delivery are the
 * same code path: no event can be skipped or delivered twice when an append races the catch-up.
 * Handlers run one at a time, in seq order. A handler that throws ends the subscription and the
 * error surfaces as an unhandled rejection (projections must not throw: that is a bug, not a state).
 * A failing read (e.g. the file is briefly locked by another process) is retried on the next wake.
 */
export function startCatchUp(o: CatchUpOptions): CatchUp {
  let next = Math.max(1, Math.floor(o.fromSeq));
  let closed = false;
  let again = false;
  let running: Promise<void> | null = null;

  async function deliverAll(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        let page: readonly StoredEvent[];
        try {
          page = await o.readPage(next, PAGE_SIZE);
        } catch {
          return;
        }
        if (page.length === 0) break;
        for (const e of page) {
          if (closed) return;
          await o.onEvent(e);
          next = e.seq + 1;
        }
      }
    } while (again && !closed);
  }

  function wake(): void {
    if (closed) return;
    if (running !== null) {
      again = true;
      return;
    }
    running = deliverAll().then(
      () => { running = null; },
      (err: unknown) => {
        running = null;
        stop();
        throw err;
      },
    );
  }

  const timer = o.pollMs === undefined ? undefined : setInterval(wake, o.pollMs);
  timer?.unref();

  function stop(): void {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearInterval(timer);
    o.onClosed?.();
  }

  // Start after subscribe() has returned, so no handler runs inside the caller's stack.
  void Promise.resolve().then(wake);

  return {
    wake,
    subscription: {
      async close(): Promise<void> {
        stop();
        await running?.catch(() => undefined);
      },
    },
  };
}

import type { StoredEvent } from '../../domain/events/envelope.js';
import type { Subscription } from '../../domain/ports/journal.js';

/** Events handed to a subscriber per read; bounded because one event can be ~300 KB. */
const PAGE_SIZE = 64;

export interface AsyncCatchUpOptions {
  readonly fromSeq: number;
  /** Up to `limit` stored events with seq ≥ `fromSeq`, in seq order, read from a server. */
  readonly readPage: (fromSeq: number, limit: number) => Promise<readonly StoredEvent[]>;
  readonly onEvent: (e: StoredEvent) => void | Promise<void>;
  /** Safety net behind the server's notifications: also look every `pollMs` ms (off when undefined). */
  readonly pollMs?: number;
  readonly onClosed?: () => void;
}

export interface AsyncCatchUp {
  readonly subscription: Subscription;
  /** New events may be stored (an append here, or a notification from the server): deliver them. */
  wake(): void;
}

/**
 * The catch-up subscription of `catchUpSubscription.ts` for a journal read over the network: the
 * same rules (catch-up and live delivery are one loop that always reads from the store, handlers
 * one at a time in seq order, a throwing handler ends the subscription as an unhandled rejection,
 * a failed read is retried on the next wake), with an asynchronous page read.
 */
export function startAsyncCatchUp(o: AsyncCatchUpOptions): AsyncCatchUp {
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

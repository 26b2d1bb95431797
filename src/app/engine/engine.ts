import { isLeft } from 'fp-ts/lib/Either.js';
import type { DataOf, DomainEvent, Journal, MarketFeed, NewEvent } from '../../domain/index.js';
import type { DayPorts, EngineRules } from './dayCycle.js';
import { runDay } from './dayCycle.js';
import type { Kernel } from './kernel.js';
import { initialKernel } from './kernel.js';

export interface EnginePorts extends DayPorts {
  readonly journal: Journal;
  readonly feed: MarketFeed;
  readonly onDay?: (day: string, index: number) => void;
  /** Live/paper: journal broker answers the moment they arrive (see `DayPorts.journalNow`). */
  readonly journalAnswersImmediately?: boolean;
  /** Other market data published on a trading day (fundamentals reports), journaled with its bars. */
  readonly marketEvents?: (day: string) => readonly DomainEvent[];
}

export interface EngineResult<S> {
  readonly kernel: Kernel<S>;
  readonly days: number;
  readonly lastSeq: number;
  readonly headHash: string;
}

/** A run could not continue; `code` is stable, `message` one sentence. */
export class EngineError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The engine loop: for each day the feed yields, run the day's cycle and append its events as one
 * transaction (live/paper: broker answers in their own transaction as they arrive), always with the
 * expected journal version so a second writer is detected rather than interleaved. The run's first batch opens with `RunStarted` (config, its hash, data source, code
 * version). Backtest, paper and live differ only in `ports`.
 */
export async function runEngine<S>(
  run: DataOf<'RunStarted'>, rules: EngineRules<S>, ports: EnginePorts,
): Promise<EngineResult<S>> {
  const head = await ports.journal.head();
  if (head.seq !== 0) throw new EngineError('JOURNAL_NOT_EMPTY', `the journal already holds ${head.seq} events; a run starts in a new journal`);
  let kernel = initialKernel(rules.strategy, rules.risk?.config.stops.atrPeriod);
  let expected = 0;
  let headHash = head.hash;
  let days = 0;
  let lastDay = '';
  const appendNow = async (events: readonly NewEvent[]): Promise<void> => {
    if (events.length === 0) return;
    const appended = await ports.journal.append(events, expected);
    if (isLeft(appended)) throw new EngineError(appended.left.code, appended.left.message);
    expected = appended.right.lastSeq;
    headHash = appended.right.headHash;
  };
  for await (const bars of ports.feed) {
    if (bars.day <= lastDay) throw new EngineError('FEED_OUT_OF_ORDER', `the feed gave ${bars.day} after ${lastDay}; days must ascend`);
    lastDay = bars.day;
    const preamble = days === 0 ? [{ type: 'RunStarted' as const, data: run }] : [];
    const r = await runDay(kernel, bars, rules, { ...ports, journalNow: ports.journalAnswersImmediately ? appendNow : undefined }, preamble, ports.marketEvents?.(bars.day) ?? []);
    await appendNow(r.events);
    kernel = r.kernel;
    ports.onDay?.(bars.day, days);
    days++;
  }
  return { kernel, days, lastSeq: expected, headHash };
}

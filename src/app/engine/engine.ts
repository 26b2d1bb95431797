import { isLeft } from 'fp-ts/lib/Either.js';
import type {
  BrokerPort, DataOf, DayBars, DomainEvent, FeeSplit, IdGenerator, Journal, NewEvent, ScheduleConfig, TradingCalendar, TradingDay,
} from '../../domain/index.js';
import { stepTime } from '../../domain/index.js';
import type { MarketDrivenClock } from '../../adapters/clock/clocks.js';
import { answersStep } from './answersStep.js';
import type { EngineRules } from './closeStep.js';
import { closeStep } from './closeStep.js';
import type { Kernel } from './kernel.js';
import { initialKernel } from './kernel.js';
import { lastDecisionDayOf, releaseStep } from './releaseStep.js';
import type { StateRequest } from './riskSteps.js';
import { Stager } from './stager.js';

export interface EnginePorts {
  readonly journal: Journal;
  /** Trading days of bars, ascending (a CSV's are read from the file as the run gets to them). */
  readonly feed: Iterable<DayBars> | AsyncIterable<DayBars>;
  /** The broker the orders go to (backtests: the paper broker with its books in memory). */
  readonly broker: BrokerPort;
  readonly ids: IdGenerator;
  /** Set to each step's scheduled time as the steps run back to back. */
  readonly clock: MarketDrivenClock;
  readonly schedule: ScheduleConfig;
  readonly calendar: TradingCalendar;
  readonly splitFee: FeeSplit;
  readonly onDay?: (day: string, index: number) => void;
  /** The kill switch: a person's trading-state requests, read at each after-close step. */
  readonly control?: (day: string) => readonly StateRequest[];
  /** Other market data published on a trading day (fundamentals reports), journaled with its bars. */
  readonly marketEvents?: (day: string) => readonly DomainEvent[];
  /** Each day's events once they are committed to the journal (a backtest's report folds them as they come). */
  readonly onAppended?: (events: readonly NewEvent[]) => void;
}

/**
 * Days' batches the engine lets the journal commit behind it (see runEngine). Deep enough to ride
 * out a checkpoint (an encrypted full-market WAL checkpoint re-encrypts ~40 MB): 8 against 3 took
 * W3 encrypted from 33.0 to 31.2 s (farm-bench, 3 runs each); a batch is under 1 MB even at W3.
 */
const APPENDS_IN_FLIGHT = 8;

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
 * The backtest: the trading-day steps of the service (domain/schedule) driven back to back on a
 * simulated clock — release the orders the last close decided, read the broker's answers through
 * the session, take the close's bars and decide — with the whole day appended as one transaction
 * with the expected journal version (a second writer is detected, never interleaved). The first
 * batch opens with `RunStarted`. Only the adapters differ from `ashare run`: the same step
 * functions decide, so a backtest and a paper run on the same data fold to the same projections.
 */
export async function runEngine<S>(run: DataOf<'RunStarted'>, rules: EngineRules<S>, ports: EnginePorts): Promise<EngineResult<S>> {
  const head = await ports.journal.head();
  if (head.seq !== 0) throw new EngineError('JOURNAL_NOT_EMPTY', `the journal already holds ${head.seq} events; a backtest starts in a new journal`);
  let kernel = initialKernel(rules.strategy, rules.risk?.config.stops.atrPeriod);
  let expected = 0;
  let headHash = head.hash;
  let cursor: string | null = null;
  // Up to APPENDS_IN_FLIGHT days' batches may be in flight while the next days are computed: a
  // journal that appends on another thread (a backtest's) commits them meanwhile, and a slow
  // commit (a checkpoint) does not stall the engine. Each append still carries the version it
  // expects (the seq before it), so batches land whole and in order or not at all (one refused,
  // every later one is refused too); a refusal surfaces at a later append or at the end, and the
  // run stops there.
  const inFlight: Promise<void>[] = [];
  let refused: unknown = null;
  const settle = async (keep: number): Promise<void> => {
    while (inFlight.length > keep) await inFlight.shift();
    if (refused !== null) throw refused;
  };
  const append = async (events: readonly NewEvent[]): Promise<void> => {
    if (events.length === 0) return;
    await settle(APPENDS_IN_FLIGHT - 1);
    const batch = ports.journal.append(events, expected);
    expected += events.length;
    // Whatever fails — the journal's refusal, its promise, or onAppended after a commit — is kept
    // and thrown at the next settle: never left as a rejection nobody is waiting on yet.
    inFlight.push(batch.then((appended) => {
      if (refused !== null) return;
      if (isLeft(appended)) {
        refused = new EngineError(appended.left.code, appended.left.message);
        return;
      }
      headHash = appended.right.headHash;
      ports.onAppended?.(events);
    }, (e: unknown) => { refused ??= new EngineError('JOURNAL_IO', e instanceof Error ? e.message : String(e)); }).catch((e: unknown) => { refused ??= e; }));
  };
  const { broker, schedule } = ports;
  const readAnswers = async (st: Stager<S>): Promise<void> => {
    const polled = await broker.poll(cursor);
    if (isLeft(polled)) throw new EngineError(polled.left.code, polled.left.message);
    // A backtest never resumes, so its journal does not record the broker cursor.
    answersStep(st, { broker: broker.name, ...polled.right, cursor: null, previousCursor: cursor, now: ports.clock.now(), splitFee: ports.splitFee });
    cursor = polled.right.cursor;
  };
  let previous: string | null = null;
  let days = 0;
  for await (const bars of ports.feed) {
    const day = bars.day as TradingDay;
    if (previous !== null && day <= previous) throw new EngineError('FEED_OUT_OF_ORDER', `the feed gave ${day} after ${previous}; days must ascend`);
    const time = (step: Parameters<typeof stepTime>[1]) => stepTime(day, step, schedule);
    const st = new Stager(kernel, rules.strategy, ports);
    ports.clock.observe(time('preopen'));
    if (days === 0) st.stage({ type: 'RunStarted', data: run }, time('preopen'));
    ports.clock.observe(time('release'));
    for (const order of releaseStep(st, day, lastDecisionDayOf(day, ports.calendar, previous), broker.name, time('release'))) {
      const sent = await broker.submit(order);
      if (isLeft(sent)) throw new EngineError(sent.left.code, sent.left.message);
    }
    await readAnswers(st);
    ports.clock.observe(time('close'));
    await readAnswers(st);
    ports.clock.observe(time('afterclose'));
    closeStep(st, rules, { bars, marketEvents: ports.marketEvents?.(day) ?? [], closeAt: time('close'), at: time('afterclose'), requests: ports.control?.(day) ?? [] });
    await append(st.events);
    kernel = st.kernel;
    ports.onDay?.(day, days);
    previous = day;
    days++;
  }
  await settle(0);
  return { kernel, days, lastSeq: expected, headHash };
}

import type { BrokerAnswer, BrokerPort, DataOf, DomainEvent, StoredEvent } from '../../domain/index.js';
import { canonicalJson } from '../../domain/index.js';
import { createReplayClock } from '../../adapters/clock/clocks.js';
import { createDeterministicIds } from '../../adapters/ids/idGenerators.js';
import { projectionHash } from '../../projections/index.js';
import type { EngineRules } from './dayCycle.js';
import { runDay } from './dayCycle.js';
import type { Kernel } from './kernel.js';
import type { StateRequest } from './riskSteps.js';
import { evolveKernel, forkKernel, initialKernel } from './kernel.js';

/** A stored event whose `type`/`data` have been validated as a `DomainEvent`. */
export type RecordedEvent = StoredEvent & DomainEvent;

export interface ReplayDiff {
  readonly index: number;
  readonly seq: number | null;
  readonly recorded: { type: string; data: unknown } | null;
  readonly replayed: { type: string; data: unknown } | null;
}

export interface DayReplay {
  readonly day: string;
  readonly events: number;
  readonly diffs: number;
  readonly details: readonly ReplayDiff[];
  /** Projection hash after re-running the day. */
  readonly projectionHash: string;
}

const ANSWER_TYPES = new Set(['OrderAccepted', 'OrderRejected', 'OrderFilled', 'OrderExpired', 'DividendPaid', 'DividendEntitled', 'SharesDistributed']);

/** Market data journaled with the day's bars, replayed as recorded. */
const MARKET_TYPES = new Set(['FundamentalsReported', 'InstrumentsReferenced']);

/** The trading-state changes a person made that day (the kill switch), replayed as recorded requests. */
const personRequests = (dayEvents: readonly RecordedEvent[]): StateRequest[] =>
  dayEvents.flatMap((e) => (e.type === 'TradingStateChanged' && !e.data.by.startsWith('risk:') ? [{ to: e.data.to, by: e.data.by, why: e.data.why }] : []));

/** A broker that answers with what the real (or simulated) broker answered on the recorded day. */
function recordedBroker(name: string, dayEvents: readonly RecordedEvent[]): BrokerPort {
  const barsAt = dayEvents.findIndex((e) => e.type === 'BarsClosed');
  const before = dayEvents.slice(0, barsAt < 0 ? 0 : barsAt).filter((e) => ANSWER_TYPES.has(e.type));
  const after = dayEvents.slice(barsAt + 1).filter((e) => ANSWER_TYPES.has(e.type));
  const answer = (e: RecordedEvent) => ({ type: e.type, data: e.data }) as BrokerAnswer;
  return {
    name,
    onMarketDay: async () => before.map(answer),
    submit: async (orders) => {
      const ids = new Set(orders.map((o) => o.orderId));
      return after.filter((e) => 'orderId' in e.data && ids.has(e.data.orderId)).map(answer);
    },
  };
}

function compare(recorded: readonly RecordedEvent[], replayed: readonly { type: string; data: unknown }[]): ReplayDiff[] {
  const diffs: ReplayDiff[] = [];
  for (let i = 0; i < Math.max(recorded.length, replayed.length); i++) {
    const r = recorded[i], p = replayed[i];
    if (r && p && r.type === p.type && canonicalJson(r.data) === canonicalJson(p.data)) continue;
    diffs.push({ index: i, seq: r?.seq ?? null, recorded: r ? { type: r.type, data: r.data } : null, replayed: p ? { type: p.type, data: p.data } : null });
  }
  return diffs;
}

/**
 * Audit replay: rebuild the kernel from the journal up to each requested day, re-run that day's
 * recorded inputs (its bars and the broker's answers) through the same deciders as the live loop,
 * and compare what they decide with what was recorded. `days = null` replays every day. The
 * kernel carried into the next day is the fold of what was RECORDED (not of the replay), so each
 * day is judged against the history the journal actually holds.
 */
export async function replayJournal<S>(
  events: readonly RecordedEvent[], makeRules: (run: DataOf<'RunStarted'>) => EngineRules<S>, days: ReadonlySet<string> | null,
  /** Sees each replayed day's recorded and re-decided events (the audit compares decisions with it). */
  onDay?: (day: string, recorded: readonly RecordedEvent[], replayed: readonly { type: string; data: unknown }[]) => void,
): Promise<DayReplay[]> {
  const first = events[0];
  if (!first || first.type !== 'RunStarted') throw new Error('the journal does not start with RunStarted');
  const rules = makeRules(first.data);
  const byDay = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    if (e.type === 'RunStarted') continue;
    const a = byDay.get(e.day) ?? [];
    a.push(e);
    byDay.set(e.day, a);
  }
  let k: Kernel<S> = evolveKernel(initialKernel(rules.strategy, rules.risk?.config.stops.atrPeriod), first, rules.strategy);
  const out: DayReplay[] = [];
  for (const [day, dayEvents] of [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (days === null || days.has(day)) {
      const bars = dayEvents.find((e) => e.type === 'BarsClosed');
      const fork: Kernel<S> = forkKernel(k, rules.strategy);
      let replayed: { type: string; data: unknown }[] = [];
      let hash = projectionHash(k.projections);
      if (bars && bars.type === 'BarsClosed') {
        const submitted = dayEvents.find((e) => e.type === 'OrderSubmitted');
        const brokerName = submitted && submitted.type === 'OrderSubmitted' ? submitted.data.broker : 'replay';
        const r = await runDay(fork, bars.data, rules, {
          broker: recordedBroker(brokerName, dayEvents), ids: createDeterministicIds(`replay:${day}`), clock: createReplayClock(),
          control: () => personRequests(dayEvents),
        }, [], dayEvents.filter((e) => MARKET_TYPES.has(e.type)));
        replayed = r.events.map((e) => ({ type: e.type, data: e.data }));
        hash = projectionHash(r.kernel.projections);
      }
      onDay?.(day, dayEvents, replayed);
      const details = compare(dayEvents, replayed);
      out.push({ day, events: dayEvents.length, diffs: details.length, details, projectionHash: hash });
    }
    for (const e of dayEvents) k = evolveKernel(k, e, rules.strategy);
  }
  return out;
}

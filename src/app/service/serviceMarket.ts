import type { BarRules, Clock, DataOf, DayBars, DomainEvent, ScheduleConfig, TradingDay } from '../../domain/index.js';
import { stepTime } from '../../domain/index.js';
import type { AppConfig } from '../config/index.js';
import type { MarketData } from '../backtest/index.js';
import { loadMarket, marketEventsByDay } from '../backtest/index.js';
import type { BarsByDay } from '../backtest/paperBrokerFor.js';

/**
 * The market as the service may see it: the config's source (synthetic, CSV or the local store),
 * each day's bars only once that day's session has closed by the service's clock — never later
 * data than the simulated instant. On the system clock a store source is read again when a day
 * is asked for that it did not hold (the after-close update writes it).
 */
export interface ServiceMarket {
  readonly dataSource: DataOf<'RunStarted'>['dataSource'];
  readonly data: () => MarketData;
  /** Days the source holds, ascending, whatever the clock says. */
  readonly days: () => readonly string[];
  /** The day's bars once its close has passed; undefined before, or when the source has none. */
  readonly barsOf: (day: string) => DayBars | undefined;
  /**
   * For the paper broker: every stored day. It settles a day only once its close has passed by the
   * clock (its own check), and replays days it already settled whatever the clock says — the
   * broker's books are facts, even when the engine's clock resumes before them after a crash.
   */
  readonly forBroker: BarsByDay;
  /** Market data journaled with `day`'s bars: fundamentals announced since the last day, reference data on the first journaled day. */
  readonly marketEventsOf: (day: string, firstJournaledDay: string) => DomainEvent[];
  /** Reads the source again (system clock, store source): returns whether it now holds `day`. */
  readonly refresh: (day: string) => Promise<boolean>;
}

export async function openServiceMarket(config: AppConfig, baseDir: string, rules: BarRules, clock: Clock, schedule: ScheduleConfig): Promise<ServiceMarket> {
  let m = await loadMarket(config.market, baseDir, () => rules);
  // The service looks days up at random (warm-up, the broker's replays): its market is held whole.
  let index = new Map((await allDays(m)).map((d) => [d.day, d]));
  let days = [...m.dayList];
  const closed = (day: string) => stepTime(day as TradingDay, 'close', schedule) <= clock.now();
  const barsOf = (day: string) => (closed(day) ? index.get(day) : undefined);
  let events: { first: string; byDay: Map<string, DomainEvent[]> } | null = null;
  return {
    dataSource: m.dataSource,
    data: () => m,
    days: () => days,
    barsOf,
    forBroker: { days: () => days, barsOf: (day) => index.get(day) },
    marketEventsOf(day, firstJournaledDay) {
      // The backtest's rule (each report with the first trading day on or after its announcement),
      // over the days the journal holds: reports announced before its first day go with that day.
      if (events?.first !== firstJournaledDay) {
        const dayList = m.dayList.filter((d) => d >= firstJournaledDay);
        const reference = m.reference && { ...m.reference, day: firstJournaledDay };
        events = { first: firstJournaledDay, byDay: marketEventsByDay({ ...m, dayList, reference }) };
      }
      return events.byDay.get(day) ?? [];
    },
    async refresh(day) {
      if (index.has(day) || config.market.source !== 'store') return index.has(day);
      m = await loadMarket(config.market, baseDir, () => rules);
      events = null;
      index = new Map((await allDays(m)).map((d) => [d.day, d]));
      days = [...m.dayList];
      return index.has(day);
    },
  };
}

async function allDays(m: { feed(): Iterable<DayBars> | AsyncIterable<DayBars> }): Promise<DayBars[]> {
  const out: DayBars[] = [];
  for await (const d of m.feed()) out.push(d);
  return out;
}

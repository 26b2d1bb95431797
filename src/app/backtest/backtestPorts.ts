import type { CashDividend, DayBars, DomainEvent, Journal, MarketRules, TradingDay } from '../../domain/index.js';
import { memoryPaperLog } from '../../adapters/broker/paperBrokerLog.js';
import { createReplayClock } from '../../adapters/clock/clocks.js';
import { createDeterministicIds } from '../../adapters/ids/idGenerators.js';
import type { AppConfig } from '../config/index.js';
import { accountFromConfig } from '../config/index.js';
import { feeSplitFrom } from '../engine/answersStep.js';
import type { EnginePorts } from '../engine/engine.js';
import type { StateRequest } from '../engine/riskSteps.js';
import { feedBars, paperBrokerFor } from './paperBrokerFor.js';

export interface BacktestWiring {
  readonly config: AppConfig;
  readonly marketRules: MarketRules;
  readonly journal: Journal;
  readonly runId: string;
  /** Trading days of bars, ascending; may be a generator (the broker keeps only the last few days). */
  readonly feed: Iterable<DayBars> | AsyncIterable<DayBars>;
  readonly firstDay: TradingDay;
  readonly dividends?: readonly CashDividend[];
  readonly listDays?: ReadonlyMap<string, TradingDay>;
  readonly control?: (day: string) => readonly StateRequest[];
  readonly marketEvents?: (day: string) => readonly DomainEvent[];
  readonly onDay?: (day: string, index: number) => void;
  readonly onAppended?: EnginePorts['onAppended'];
}

/**
 * The adapters a backtest runs on: the replay clock, deterministic ids (a reproducible journal)
 * and the paper broker with its books in memory, matching with the config's execution model.
 */
export async function backtestPorts(w: BacktestWiring): Promise<EnginePorts> {
  const clock = createReplayClock();
  const fed = feedBars(w.feed);
  const broker = await paperBrokerFor(w.config, w.marketRules, { dividends: w.dividends ?? [], listDays: w.listDays ?? new Map() }, fed.bars, memoryPaperLog(), clock, w.firstDay, w.config.schedule);
  return {
    journal: w.journal, feed: fed.feed, broker, ids: createDeterministicIds(w.runId), clock, schedule: w.config.schedule,
    calendar: w.marketRules.calendar, splitFee: feeSplitFrom(w.marketRules, accountFromConfig(w.config)),
    ...(w.control ? { control: w.control } : {}), ...(w.marketEvents ? { marketEvents: w.marketEvents } : {}), ...(w.onDay ? { onDay: w.onDay } : {}), ...(w.onAppended ? { onAppended: w.onAppended } : {}),
  };
}

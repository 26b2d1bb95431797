import { isLeft } from 'fp-ts/lib/Either.js';
import type { BrokerPort, Clock, DayBars, MarketRules, ScheduleConfig, TradingDay } from '../../domain/index.js';
import { stepTime } from '../../domain/index.js';
import { createPaperBroker } from '../../adapters/broker/paperBroker.js';
import type { PaperLog } from '../../adapters/broker/paperBrokerLog.js';
import { cashDividendActions } from '../../adapters/broker/simulatedExchange.js';
import type { AppConfig } from '../config/index.js';
import { accountFromConfig, executionFromConfig } from '../config/index.js';
import { AppError, EXIT } from '../errors.js';
import type { MarketData } from './market.js';

/** Where a market's bars are read by day, for the paper broker's matching (never later than its clock allows). */
export interface BarsByDay {
  readonly days: () => readonly string[];
  readonly barsOf: (day: string) => DayBars | undefined;
}

/**
 * A feed that remembers the last few days it handed out, for a paper broker to settle against: a
 * backtest can then stream its bars (a generator) instead of holding every day in memory.
 */
export function feedBars(feed: Iterable<DayBars> | AsyncIterable<DayBars>, keep = 5): { readonly feed: AsyncIterable<DayBars>; readonly bars: BarsByDay } {
  const recent: DayBars[] = [];
  return {
    feed: {
      async *[Symbol.asyncIterator]() {
        for await (const d of feed) {
          recent.push(d);
          if (recent.length > keep) recent.shift();
          yield d;
        }
      },
    },
    bars: { days: () => recent.map((d) => d.day), barsOf: (day) => recent.find((d) => d.day === day) },
  };
}

/**
 * The paper broker for a config and its market: the configured fill, slippage and participation,
 * the dated fee and price-limit tables, the market's cash dividends settled by its registrar.
 */
export async function paperBrokerFor(
  config: AppConfig, marketRules: MarketRules, market: Pick<MarketData, 'dividends' | 'listDays'>, bars: BarsByDay, log: PaperLog,
  clock: Clock, fromDay: TradingDay, schedule: ScheduleConfig,
): Promise<BrokerPort> {
  const b = await createPaperBroker({
    rules: marketRules, account: accountFromConfig(config), execution: executionFromConfig(config),
    corporateActions: cashDividendActions(market.dividends, (d) => marketRules.calendar.previous(d)),
    listDays: market.listDays, dividendTaxRatePpb: Math.round(config.account.dividendTaxRate * 1e9),
    initialCashFen: Math.round(config.account.initialCash * 100), fromDay, marketDays: bars.days, barsOf: bars.barsOf, clock,
    closeAt: (day) => stepTime(day as TradingDay, 'close', schedule),
  }, log);
  if (isLeft(b)) throw new AppError(b.left.code, b.left.message, EXIT.badInput);
  return b.right;
}

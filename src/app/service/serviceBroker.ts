import { resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { BrokerPort, MarketRules, TradingDay } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { openFileBridge } from '../../adapters/broker/fileBridge.js';
import { openPaperLog } from '../../adapters/broker/paperBrokerLog.js';
import type { ServiceClock } from '../../adapters/clock/serviceClock.js';
import { paperBrokerFor } from '../backtest/paperBrokerFor.js';
import type { LoadedConfig } from '../config/index.js';
import { AppError, EXIT } from '../errors.js';
import type { ServiceMarket } from './serviceMarket.js';

/** Where the paper broker keeps its books: `broker.stateFile`, else beside the journal. */
export const paperBrokerPath = (journalPath: string, l: LoadedConfig): string =>
  l.config.broker.kind === 'paper' && l.config.broker.stateFile
    ? resolve(l.baseDir, l.config.broker.stateFile)
    : `${journalPath.replace(/\.sqlite$/, '')}.paper-broker.sqlite`;

/** The broker a config names, opened; a missing or unusable broker is one sentence (exit 3). */
export async function openServiceBroker(
  l: LoadedConfig, journalPath: string, key: JournalKey | undefined, marketRules: MarketRules, market: ServiceMarket, clock: ServiceClock, fromDay: TradingDay,
): Promise<BrokerPort> {
  const b = l.config.broker;
  if (b.kind === 'file-bridge') {
    const fb = openFileBridge({ dir: resolve(l.baseDir, b.dir) });
    if (isLeft(fb)) throw new AppError(fb.left.code, `broker.dir: ${fb.left.message}`, EXIT.badInput);
    return fb.right;
  }
  const log = openPaperLog(paperBrokerPath(journalPath, l), key);
  if (isLeft(log)) throw new AppError(log.left.code, log.left.message, EXIT.journal);
  return paperBrokerFor(l.config, marketRules, market.data(), market.forBroker, log.right, clock, fromDay, l.config.schedule);
}

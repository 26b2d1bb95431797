import type { Bar, MarketDataProvider, TradingDay } from '../../domain/index.js';
import { addCalendarDays, dayOfMs } from '../../domain/index.js';
import { createFailoverProvider, createJqdataProvider, createTushareProvider } from '../../adapters/providers/index.js';
import { withCache } from '../../adapters/store/index.js';
import { AppError, EXIT } from '../errors.js';
import type { DataContext } from './dataContext.js';
import type { IngestSummary } from './ingest.js';
import { ingestBars } from './ingest.js';

type ProviderName = 'tushare' | 'jqdata';

/** A provider from config/data.yaml, with its secrets read from the environment variables it names. */
export function providerFromConfig(c: DataContext, name: ProviderName, env: NodeJS.ProcessEnv): MarketDataProvider {
  const p = c.config.providers;
  const http = { timeoutMs: p.timeoutMs };
  if (name === 'tushare') {
    const token = env[p.tushare.tokenEnv];
    if (!token) throw new AppError('PROVIDER_AUTH', `Tushare needs a token: set ${p.tushare.tokenEnv}`, EXIT.badInput);
    return createTushareProvider({ token, url: p.tushare.url, http: { ...http, rateLimit: { calls: p.tushare.callsPerMinute, windowMs: 60_000 } } });
  }
  const mob = env[p.jqdata.mobEnv], pwd = env[p.jqdata.pwdEnv];
  if (!mob || !pwd) throw new AppError('PROVIDER_AUTH', `JQData needs an account: set ${p.jqdata.mobEnv} and ${p.jqdata.pwdEnv}`, EXIT.badInput);
  return createJqdataProvider({ mob, pwd }, p.jqdata.url, { http });
}

/**
 * Incremental update: from the day after the last stored bar (or `update.firstDay` for an empty
 * store) to today, from `source` with the configured backup behind it. Every switch to the backup
 * is journaled (`ProviderSwitched`) before its data is used; the bars then go through the
 * validator's policies like any import.
 */
export async function updateFromProvider(c: DataContext, source: ProviderName, env: NodeJS.ProcessEnv, nowMs: number): Promise<IngestSummary & { from: string; to: string; provider: string }> {
  const last = c.store.lastDay();
  const from = (last ? addCalendarDays(last, 1) : c.config.update.firstDay) as TradingDay;
  const to = dayOfMs(nowMs);
  const primary = providerFromConfig(c, source, env);
  const backupName = c.config.providers.backup !== source ? c.config.providers.backup : null;
  const switches: Parameters<typeof c.record>[0][number][] = [];
  let provider: MarketDataProvider = primary;
  if (backupName) {
    let backup: MarketDataProvider | null = null;
    try { backup = providerFromConfig(c, backupName, env); } catch { backup = null; } // no backup credentials: no failover
    if (backup) provider = createFailoverProvider(primary, backup, (s) => {
      switches.push({ type: 'ProviderSwitched', data: { from: s.from, to: s.to, method: s.method, reason: { code: s.reason.code, message: s.reason.message } } });
    });
  }
  const cached = withCache(provider, { max: c.config.cache.max });
  if (from > to) return { rows: 0, symbols: 0, firstDay: null, lastDay: null, findings: {}, rejected: 0, quarantined: 0, corrected: 0, inserted: 0, updated: 0, unchanged: 0, adjusted: null, journaled: 0, alreadyJournaled: 0, warnings: [], from, to, provider: source };
  const symbols = c.store.symbols();
  const r = await cached.dailyBars({ ...(symbols.length ? { symbols } : {}), from, to });
  await c.record(switches);
  if (r._tag === 'Left') throw new AppError(r.left.code, r.left.message, EXIT.badInput);
  const bars: Bar[] = r.right;
  return { ...(await ingestBars(c, source, bars)), from, to, provider: switches.length ? `${source}→${backupName}` : source };
}

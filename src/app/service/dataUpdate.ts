import { dirname, resolve } from 'node:path';
import { egressGuard } from '../../adapters/net/egressGuard.js';
import type { TradingDay } from '../../domain/index.js';
import { dayOfMs, exchangeTimeMs } from '../../domain/index.js';
import { loadDataConfig, openDataContext, storeKey, updateFromProvider } from '../data/index.js';
import type { Stager } from '../engine/index.js';
import { packageRoot } from '../cli/io.js';
import type { SlotContext } from './slots.js';

/** The instant of `day`'s scheduled data update (config dataUpdate.time), or null without one. */
export function dataUpdateAt<S>(ctx: SlotContext<S>, day: TradingDay): number | null {
  const t = ctx.o.loaded.config.dataUpdate?.time;
  if (!t) return null;
  const [hh, mm] = t.split(':').map(Number) as [number, number];
  return exchangeTimeMs(day, hh, mm);
}

/**
 * The service's own market-data update of `day` (config dataUpdate:), run once the day's update
 * time has passed: the data pipeline's primary provider into the local store, through the same
 * guarded network stack as everything else — inside the air-gap window the provider cannot be
 * reached, the attempt is journaled as EgressBlocked, and the day trades on the data already
 * stored. Its outcome is journaled as DataUpdateRan (and an alert when it failed); never fatal.
 */
export async function dataUpdateStep<S>(ctx: SlotContext<S>, st: Stager<S>, day: TradingDay, at: number): Promise<void> {
  const { s, o } = ctx;
  const du = o.loaded.config.dataUpdate!;
  const path = resolve(o.loaded.baseDir, du.config);
  const inWindow = ctx.airgap?.armedAt(at) ?? false;
  let provider = 'unknown';
  try {
    const dc = loadDataConfig(path);
    provider = dc.providers.primary;
    const c = await openDataContext({ config: { ...dc, store: { ...dc.store, path: resolve(dirname(path), dc.store.path) }, journal: resolve(dirname(path), dc.journal) }, packageRoot: packageRoot(), key: storeKey(dc, undefined, dirname(path)) ?? o.key, create: true });
    try {
      const r = await egressGuard().withCaller(`data update (dataUpdate.time ${du.time})`, () => updateFromProvider(c, dc.providers.primary, process.env, at));
      st.stage({ type: 'DataUpdateRan', data: { day, provider: r.provider, ok: true, rows: r.rows, detail: `${r.from} … ${r.to}: ${r.rows} bars, ${r.inserted} new` } }, at);
      o.log.info(`data update: ${r.rows} bars from ${r.provider}`);
    } finally {
      await c.close();
    }
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!.slice(0, 1500);
    const detail = inWindow
      ? `refused inside the air-gap window ${ctx.airgap!.windowText} (${why}); the day trades on the data already stored — schedule dataUpdate.time after the window`
      : why;
    st.stage({ type: 'DataUpdateRan', data: { day, provider, ok: false, rows: 0, detail } }, at);
    s.alert(st, 'DATA_UPDATE_FAILED', 'warning', `the data update of ${day} failed: ${detail}`);
  }
}

/**
 * The service's own data update (config dataUpdate:) due in (after, until]: the first trading day
 * from the run's first day on, not yet updated, whose update time falls there — so it runs at its
 * own time between the steps, not at the next step.
 */
export function nextDataUpdate(ctx: SlotContext<unknown>, after: number, until: number, last: string | null): { day: TradingDay; at: number } | null {
  if (!ctx.o.loaded.config.dataUpdate) return null;
  let days: TradingDay[];
  try {
    days = ctx.cal.range(dayOfMs(after), dayOfMs(until));
  } catch {
    return null;
  }
  for (const day of days) {
    const at = dataUpdateAt(ctx, day);
    if (at === null || day < ctx.firstDay || (last !== null && day <= last)) continue;
    if (at > after && at <= until) return { day, at };
  }
  return null;
}

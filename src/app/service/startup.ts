import type { StaleHolder } from '../../adapters/lock/lockFile.js';
import type { DataOf, StepName, TradingDay } from '../../domain/index.js';
import { stepTime } from '../../domain/index.js';
import { ordersAtBroker } from '../../projections/index.js';
import { closeStep, warmupStep } from '../engine/index.js';
import { reconcile, type SlotContext } from './slots.js';

const compactIso = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * A new run: RunStarted and ServiceStarted, then the stored history before the first trading day
 * (at most `schedule.warmupDays` days) folded as warm-up, the last of them decided in full so the
 * first day's orders are released at its open. Resumable: days already journaled are skipped.
 */
export async function warmUp<S>(ctx: SlotContext<S>, run: DataOf<'RunStarted'> | null, resumed: boolean): Promise<void> {
  const { s, o, market, schedule, firstDay } = ctx;
  const config = o.loaded.config;
  const st = s.stager();
  const now = o.clock.now();
  if (!run) {
    // The run's id, and with it every clientOrderId, follows from the start instant and the config:
    // a simulated run is reproducible, a live one is an event in time.
    const runId = `${config.mode}-${o.clock.kind === 'sim' ? 'sim' : 'live'}-${compactIso(now)}-${o.loaded.hash.slice(0, 8)}`;
    st.stage({ type: 'RunStarted', data: {
      runId, mode: config.mode, config: config as unknown as Record<string, unknown>, configHash: o.loaded.hash,
      dataSource: market.dataSource, codeVersion: o.codeVersion, initialCashFen: Math.round(config.account.initialCash * 100),
    } }, now);
    st.stage({ type: 'ServiceStarted', data: { pid: process.pid, mode: config.mode as 'paper' | 'live', clock: o.clock.label, broker: s.broker.name, firstDay } }, now);
  }
  const history = warmupDays(ctx);
  const done = s.kernel.projections.lastBars?.day ?? null;
  const todo = history.filter((d) => done === null || d > done);
  if (resumed && todo.length > 0) o.log.info(`continuing the warm-up at ${todo[0]}`);
  for (let i = 0; i < todo.length; i++) {
    const day = todo[i]! as TradingDay;
    const bars = market.barsOf(day);
    if (!bars) continue;
    const marketEvents = market.marketEventsOf(day, ctx.firstJournaledDay);
    const closeAt = stepTime(day, 'close', schedule);
    if (i === todo.length - 1) {
      closeStep(st, s.rules, { bars, marketEvents, closeAt, at: stepTime(day, 'afterclose', schedule), requests: o.control?.(day) ?? [] });
    } else {
      warmupStep(st, bars, marketEvents, closeAt);
      if (i % 20 === 19) await s.commit(st);
    }
  }
  const last = history[history.length - 1] as TradingDay | undefined;
  st.stage({ type: 'WarmupCompleted', data: { from: history[0] ?? null, to: last ?? null, days: history.length } }, now);
  const step: StepName = 'afterclose';
  if (last) st.stage({ type: 'StepCompleted', data: { day: last, step, note: `warm-up of ${history.length} day(s); the first day's orders decided` } }, stepTime(last, step, schedule));
  await s.commit(st);
  if (last) s.lastStep = { day: last, step };
  o.log.info(`warm-up: ${history.length} day(s) of history${last ? ` up to ${last}` : ''}`);
}

/** The stored days the warm-up folds: before the first trading day, at most `warmupDays` of them. */
export function warmupDays<S>(ctx: Pick<SlotContext<S>, 'market' | 'firstDay' | 'o'>): string[] {
  const n = ctx.o.loaded.config.schedule.warmupDays;
  return n === 0 ? [] : ctx.market.days().filter((d) => d < ctx.firstDay).slice(-n);
}

/**
 * A resumed run, before it acts: ServiceResumed (after LockTakenOver when the last holder died),
 * the broker's answers since the journaled cursor, then every order journaled as submitted that
 * has no answer: the broker is asked, and only an order it never received is sent (OrderResent
 * first), then positions and cash are reconciled.
 */
export async function resumeActions<S>(ctx: SlotContext<S>, tookOver: StaleHolder | null, lastStep: { day: TradingDay; step: StepName } | null): Promise<void> {
  const { s, o } = ctx;
  const st = s.stager();
  const now = o.clock.now();
  if (tookOver) st.stage({ type: 'LockTakenOver', data: { stalePid: tookOver.pid, staleStartedAt: tookOver.startedAt, host: tookOver.host } }, now);
  st.stage({ type: 'ServiceResumed', data: { pid: process.pid, afterSeq: s.expected, day: lastStep?.day ?? null, step: lastStep?.step ?? null, clock: o.clock.label } }, now);
  await s.commit(st);
  await s.poll(st);
  for (const order of ordersAtBroker(st.kernel.exec)) {
    if (!order.acknowledged) await s.send(st, order.clientOrderId, true, 'the broker had no record of it when the service resumed (the crash came between the journal and the send)');
  }
  await s.commit(st);
  if (lastStep) {
    await reconcile(ctx, st, lastStep.day, 'resume', now);
    await s.commit(st);
  }
}

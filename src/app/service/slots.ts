import { isLeft } from 'fp-ts/lib/Either.js';
import type { ScheduleConfig, Slot, StepName, TradingCalendar, TradingDay } from '../../domain/index.js';
import { stepTime } from '../../domain/index.js';
import { ordersAtBroker } from '../../projections/index.js';
import type { Stager } from '../engine/index.js';
import { closeStep, lastDecisionDayOf, reconcileStep, reconcileWhy, releaseStep } from '../engine/index.js';
import type { ServiceOptions } from './runService.js';
import type { ServiceMarket } from './serviceMarket.js';
import type { ServiceSession } from './serviceSession.js';
import { applyOperatorCommands, type OperatorContext } from './operator.js';
import type { ServiceAirgap } from './airgapService.js';

export interface SlotContext<S> {
  readonly s: ServiceSession<S>;
  readonly o: ServiceOptions;
  readonly market: ServiceMarket;
  readonly cal: TradingCalendar;
  readonly schedule: ScheduleConfig;
  /** The first day the run trades. */
  readonly firstDay: TradingDay;
  /** The first day whose bars the journal holds (warm-up start): reference data goes with it. */
  readonly firstJournaledDay: string;
  /** The operators' command channel (kill switch, acknowledgements). */
  readonly operator: OperatorContext<S>;
  /** The air gap (config airgap: enabled), or null. */
  readonly airgap: ServiceAirgap | null;
}

/** Stages StepCompleted and commits the step as one transaction. */
async function complete<S>(ctx: SlotContext<S>, st: Stager<S>, day: TradingDay, step: StepName, note: string): Promise<void> {
  st.stage({ type: 'StepCompleted', data: { day, step, note } }, stepTime(day, step, ctx.schedule));
  await ctx.s.commit(st);
  ctx.s.lastStep = { day, step };
  ctx.o.log.info(`${day} ${step}: ${note}`);
}

/** Waits real time for an external broker (a terminal) until `done`, reading its answers; alerts on timeout. */
async function waitForBroker<S>(ctx: SlotContext<S>, st: Stager<S>, done: () => boolean, what: string): Promise<void> {
  const { s, o } = ctx;
  if (!s.broker.external) return;
  const limit = ctx.schedule.brokerTimeoutSeconds * 1000;
  for (let waited = 0; !done() && waited < limit && !o.stop.aborted; waited += 200) {
    await o.clock.pause(200, o.stop);
    await applyOperatorCommands(ctx.operator, st); // a kill switch is obeyed while the step waits
    await s.poll(st);
    await s.commit(st);
  }
  if (!done() && !o.stop.aborted) s.alert(st, 'BROKER_TIMEOUT', 'critical', `no answer from ${s.broker.name} ${what} within ${ctx.schedule.brokerTimeoutSeconds} s`);
}

export async function runSlot<S>(ctx: SlotContext<S>, slot: Slot): Promise<'ok' | 'END_OF_DATA'> {
  const { s, o } = ctx;
  const day = slot.day;
  const st = s.stager();
  switch (slot.kind) {
    case 'poll':
      await s.poll(st);
      await s.commit(st);
      return 'ok';
    case 'preopen': {
      // The data check: the last close's bars must be in the journal before the day trades.
      const expected = lastDecisionDayOf(day, ctx.cal, null);
      const have = s.kernel.projections.lastBars?.day ?? null;
      const stale = expected !== null && expected >= ctx.firstDay && (have === null || have < expected);
      if (stale) s.alert(st, 'STALE_DATA', 'warning', `the last bars journaled are of ${have ?? 'no day'}, ${expected}'s are missing: today's orders were decided on older prices or not at all`);
      await complete(ctx, st, day, 'preopen', stale ? `data stale (last bars ${have ?? 'none'})` : `data current (last bars ${have ?? 'none yet'})`);
      return 'ok';
    }
    case 'release': {
      const orders = releaseStep(st, day, lastDecisionDayOf(day, ctx.cal, null), s.broker.name, slot.at);
      await s.commit(st); // OrderSubmitted is durable before the broker hears of any order
      for (const order of orders) await s.send(st, order.clientOrderId, false, '');
      await s.poll(st);
      const ids = new Set(orders.map((x) => x.clientOrderId));
      await waitForBroker(ctx, st, () => ordersAtBroker(st.kernel.exec).every((x) => !ids.has(x.clientOrderId) || x.acknowledged), 'to the orders released');
      await complete(ctx, st, day, 'release', `${orders.length} order(s) released to ${s.broker.name}`);
      return 'ok';
    }
    case 'close': {
      await s.poll(st);
      await waitForBroker(ctx, st, () => ordersAtBroker(st.kernel.exec).every((x) => x.request.timeInForce !== 'day'), 'ending the day\'s orders');
      // A day order the broker still shows working after the close is asked to be cancelled (journaled first).
      const stale = ordersAtBroker(st.kernel.exec).filter((x) => x.request.timeInForce === 'day' && x.cancelReason === null);
      for (const x of stale) {
        st.stage({ type: 'OrderCancelRequested', data: { orderId: x.orderId, clientOrderId: x.clientOrderId, reason: 'END_OF_DAY', why: `a day order still working at the close of ${day}` } }, slot.at);
      }
      await s.commit(st);
      for (const x of stale) {
        const c = await s.broker.cancel(x.clientOrderId, o.clock.now());
        if (isLeft(c)) s.alert(st, 'BROKER_UNAVAILABLE', 'critical', `cannot ask ${s.broker.name} to cancel ${x.orderId} (${x.clientOrderId}): ${c.left.message}`);
      }
      const open = ordersAtBroker(st.kernel.exec).length;
      await complete(ctx, st, day, 'close', `session closed, ${open} order(s) still at the broker${stale.length ? `, ${stale.length} asked to be cancelled` : ''}`);
      return 'ok';
    }
    case 'reconcile':
      await reconcile(ctx, st, day, 'close', slot.at);
      await complete(ctx, st, day, 'reconcile', 'positions and cash compared with the broker');
      return 'ok';
    case 'afterclose':
      return afterClose(ctx, st, day, slot.at);
  }
}

/** Reads the broker's answers, then its positions and cash, and reconciles (the outcome is staged in `st`). */
export async function reconcile<S>(ctx: SlotContext<S>, st: Stager<S>, day: TradingDay, occasion: 'close' | 'resume', at: number): Promise<void> {
  const { s } = ctx;
  await s.poll(st);
  const pos = await s.broker.queryPositions();
  const acct = isLeft(pos) ? null : await s.broker.queryAccount();
  if (isLeft(pos) || !acct || isLeft(acct)) {
    const why = isLeft(pos) ? pos.left.message : acct && isLeft(acct) ? acct.left.message : '';
    s.alert(st, 'RECONCILIATION_UNAVAILABLE', 'critical', `cannot reconcile ${reconcileWhy(occasion)}: ${why}`);
    return;
  }
  const positions = pos.right.map((p) => ({ symbol: p.symbol, quantity: p.quantity, sellable: p.sellableQuantity, avgCostMilli: p.avgCostMilli }));
  const breaks = reconcileStep(st, { day, occasion, positions, ...acct.right }, ctx.o.loaded.config.reconciliation.policy, at, reconcileWhy(occasion));
  if (breaks > 0) ctx.o.log.error(`${breaks} reconciliation break(s) ${reconcileWhy(occasion)}`);
}

/** The day's bars (the after-close update), the valuation and the next day's decisions. */
async function afterClose<S>(ctx: SlotContext<S>, st: Stager<S>, day: TradingDay, at: number): Promise<'ok' | 'END_OF_DATA'> {
  const { s, o, market, schedule } = ctx;
  let bars = market.barsOf(day);
  if (!bars && o.clock.kind === 'sim') {
    const days = market.days();
    if (days.length === 0 || day > days[days.length - 1]!) return 'END_OF_DATA';
  }
  // Live: the store is written by the after-close data update; look again every five minutes until the next pre-open.
  if (!bars && o.clock.kind === 'system') {
    const giveUp = stepTime(ctx.cal.next(day), 'preopen', schedule);
    while (!bars && !o.stop.aborted && o.clock.now() < giveUp) {
      if (await market.refresh(day)) bars = market.barsOf(day);
      if (!bars) {
        // Waiting holds the session: take the operators' commands meanwhile (a kill switch is obeyed within a second).
        const next = Math.min(giveUp, o.clock.now() + 300_000);
        while (!o.stop.aborted && o.clock.now() < next) {
          await o.clock.sleepUntil(Math.min(next, o.clock.now() + 250), o.stop);
          await applyOperatorCommands(ctx.operator, st);
        }
      }
    }
    if (!bars && o.stop.aborted) return 'ok'; // not completed: runs again on restart
  }
  if (!bars) {
    s.alert(st, 'STALE_DATA', 'critical', `no bars for ${day} in the market source: nothing decided for the next day`);
    await complete(ctx, st, day, 'afterclose', `no bars for ${day}`);
    return 'ok';
  }
  closeStep(st, s.rules, {
    bars, marketEvents: market.marketEventsOf(day, ctx.firstJournaledDay), closeAt: stepTime(day, 'close', schedule), at,
    requests: o.control?.(day) ?? [],
  });
  const decided = st.events.filter((e) => e.type === 'OrderApproved').length;
  await complete(ctx, st, day, 'afterclose', `${bars.symbols.length} bars taken, ${decided} order(s) approved for the next day`);
  return 'ok';
}

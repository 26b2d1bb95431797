import { existsSync, statSync } from 'node:fs';
import { derivedKey } from '../../adapters/commands/index.js';
import { DEFAULT_ALERTS_CONFIG, emptyAlertState, evolveAlerts } from '../../domain/alerts/index.js';
import { applyOperatorCommands, type OperatorContext } from './operator.js';
import { ServiceAirgap } from './airgapService.js';
import { dataUpdateStep, nextDataUpdate } from './dataUpdate.js';
import { alertExecHook, startBackground } from './background.js';
import { journalWatch } from './journalWatch.js';
import { egressGuard } from '../../adapters/net/egressGuard.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { StaleHolder } from '../../adapters/lock/lockFile.js';
import type { DataOf, MarketRules, StepName, TradingDay } from '../../domain/index.js';
import { dayOfMs, exchangeTimeMs, firstSlotFrom, stepTime } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { openSqliteJournal, verifyJournalFile } from '../../adapters/journal/index.js';
import type { ServiceClock } from '../../adapters/clock/serviceClock.js';
import { acquireLock } from '../../adapters/lock/lockFile.js';
import type { LoadedConfig } from '../config/index.js';
import { accountFromConfig, rulesFromConfig } from '../config/index.js';
import type { StateRequest } from '../engine/index.js';
import { evolveKernel, feeSplitFrom, initialKernel } from '../engine/index.js';
import { AppError, EXIT } from '../errors.js';
import { readJournalFile } from '../journalio/index.js';
import { openServiceBroker } from './serviceBroker.js';
import type { ServiceLog } from './serviceLog.js';
import { openServiceMarket } from './serviceMarket.js';
import { ServiceSession } from './serviceSession.js';
import { runSlot, type SlotContext } from './slots.js';
import { resumeActions, warmUp, warmupDays } from './startup.js';

export interface ServiceOptions {
  readonly loaded: LoadedConfig;
  readonly marketRules: MarketRules;
  readonly codeVersion: string;
  readonly journalPath: string;
  readonly key: JournalKey | undefined;
  readonly clock: ServiceClock;
  /** Stop cleanly once the next step would be after this instant (epoch ms). */
  readonly until: number | null;
  readonly log: ServiceLog;
  /** The kill switch (a person's trading-state requests), read at each after-close step. */
  readonly control?: (day: string) => readonly StateRequest[];
  /** Aborted by SIGTERM/SIGINT: the current step finishes, then the service stops. */
  readonly stop: AbortSignal;
  /** Wall time the process started, ISO 8601 (for the lock file only). */
  readonly startedAt: string;
}

export interface ServiceResult {
  readonly reason: DataOf<'ServiceStopped'>['reason'];
  readonly lastSeq: number;
  readonly headHash: string;
  readonly resumed: boolean;
}

/**
 * `ashare run`: the trading-day service. Takes the journal's lock (one writer), then either starts
 * a run (RunStarted, ServiceStarted, the warm-up history and the decisions of its last day) or
 * resumes one (verify the chain, fold it back, ServiceResumed, read the broker's answers, ask the
 * broker about every order sent without an answer — sending only those it never received — and
 * reconcile), and runs the schedule's steps on the clock until `until`, a signal or the end of the
 * market data. Every step is journaled whole (StepCompleted in the same transaction), so a kill -9
 * at any instant resumes at the right step with nothing lost and no order sent twice.
 */
export async function runService(o: ServiceOptions): Promise<ServiceResult> {
  const lock = acquireLock(`${o.journalPath}.lock`, o.startedAt);
  if (isLeft(lock)) throw new AppError(lock.left.code, lock.left.message, EXIT.journal);
  try {
    return await serve(o, lock.right.tookOver);
  } finally {
    lock.right.release();
  }
}

async function serve(o: ServiceOptions, tookOver: StaleHolder | null): Promise<ServiceResult> {
  const { config, hash } = o.loaded;
  if (config.mode === 'backtest') throw new AppError('CONFIG_INVALID', 'mode is backtest: run it with ashare backtest (ashare run trades mode paper or live)', EXIT.badInput);
  const rules = rulesFromConfig(config, o.marketRules);
  const cal = o.marketRules.calendar;
  const existed = existsSync(o.journalPath) && statSync(o.journalPath).size > 0;
  if (existed) {
    const v = await verifyJournalFile(o.journalPath, o.key);
    if (!v.ok) throw new AppError(v.code, `${o.journalPath} does not verify${v.seq !== null ? ` at seq ${v.seq}` : ''}: ${v.reason}; not resuming (see ashare journal verify)`, EXIT.journal);
  }
  const recorded = existed ? await readJournalFile(o.journalPath, o.key) : null;
  if (recorded && isLeft(recorded)) throw new AppError(recorded.left.code, recorded.left.message, EXIT.journal);
  const events = recorded && !isLeft(recorded) ? recorded.right : [];
  const run = events[0]?.type === 'RunStarted' ? events[0].data : null;
  if (events.length > 0 && !run) throw new AppError('JOURNAL_NOT_A_RUN', `${o.journalPath} does not start with RunStarted: not a run's journal`, EXIT.journal);
  if (run && run.mode === 'backtest') throw new AppError('JOURNAL_NOT_A_SERVICE', `${o.journalPath} holds a backtest; ashare run continues only its own journals`, EXIT.journal);
  if (run && run.configHash !== hash) {
    throw new AppError('CONFIG_CHANGED', `${o.journalPath} was started with config hash ${run.configHash.slice(0, 12)}, this config's is ${hash.slice(0, 12)}: a run's rules cannot change in its journal (start a new journal to trade under new rules)`, EXIT.badInput);
  }
  let kernel = initialKernel(rules.strategy, rules.risk?.config.stops.atrPeriod);
  let lastStep: { day: TradingDay; step: StepName } | null = null;
  let cursor: string | null = null;
  let firstDay: TradingDay | null = null;
  let warmedUp = false;
  let alerts = emptyAlertState;
  let airgapJournaledArmed = false;
  let lastDataUpdateDay: string | null = null;
  const commandIds = new Set<string>();
  for (const e of events) {
    kernel = evolveKernel(kernel, e, rules.strategy);
    alerts = evolveAlerts(alerts, e);
    if (e.type === 'OperatorCommandReceived' || e.type === 'OperatorCommandRejected') commandIds.add(e.data.commandId);
    else if (e.type === 'AirgapArmed') airgapJournaledArmed = true;
    else if (e.type === 'AirgapDisarmed') airgapJournaledArmed = false;
    else if (e.type === 'DataUpdateRan') lastDataUpdateDay = e.data.day;
    o.clock.resumeAt(e.recordedAt); // a simulated clock never goes back: it continues from the latest instant the journal records
    if (e.type === 'StepCompleted') lastStep = { day: e.data.day as TradingDay, step: e.data.step };
    else if (e.type === 'BrokerAnswersRead') cursor = e.data.cursor;
    else if (e.type === 'ServiceStarted') firstDay = e.data.firstDay as TradingDay;
    else if (e.type === 'WarmupCompleted') warmedUp = true;
  }
  if (lastStep) o.clock.resumeAt(stepTime(lastStep.day, lastStep.step, config.schedule));
  const market = await openServiceMarket(config, o.loaded.baseDir, o.marketRules, o.clock, config.schedule);
  const start = firstDay ?? firstSlotFrom(o.clock.now(), cal, config.schedule).day;
  // An external broker is checked before anything is written; the paper broker's books are opened beside the journal once it is.
  const external = config.broker.kind === 'paper' ? null : await openServiceBroker(o.loaded, o.journalPath, o.key, o.marketRules, market, o.clock, start);
  const opened = openSqliteJournal({ path: o.journalPath, durability: config.journal.durability, key: o.key, create: true });
  if (isLeft(opened)) {
    await external?.close();
    throw new AppError(opened.left.code, opened.left.message, EXIT.journal);
  }
  const journal = opened.right;
  const broker = external ?? await openServiceBroker(o.loaded, o.journalPath, o.key, o.marketRules, market, o.clock, start).catch(async (e: unknown) => {
    await journal.close();
    throw e;
  });
  const s = new ServiceSession(journal, kernel, rules, broker, o.clock, o.log, feeSplitFrom(o.marketRules, accountFromConfig(config)), await journal.head());
  s.cursor = cursor;
  s.lastStep = lastStep;
  s.alerts = alerts;
  const alertsConfig = config.alerts ?? DEFAULT_ALERTS_CONFIG;
  s.alertsConfig = alertsConfig;
  for (const id of commandIds) s.commandIds.add(id);
  if (alertsConfig.exec) s.onAlertRaised = alertExecHook(alertsConfig.exec, alertsConfig.execTimeoutSeconds, o.journalPath, o.log);
  const channelKey = derivedKey(o.key, 'command-channel v1');
  if (isLeft(channelKey)) throw new AppError(channelKey.left.code, channelKey.left.message, EXIT.journal);
  const history = warmupDays({ market, firstDay: start, o });
  const operator: OperatorContext<unknown> = { s, journalPath: o.journalPath, channelKey: channelKey.right, wallNow: Date.now };
  const airgap = config.airgap?.enabled ? new ServiceAirgap(config.airgap, cal) : null;
  if (airgap) airgap.journaledArmed = airgapJournaledArmed;
  if (airgap && config.dataUpdate) {
    const [hh, mm] = config.dataUpdate.time.split(':').map(Number) as [number, number];
    if (airgap.armedAt(exchangeTimeMs(start, hh, mm))) {
      o.log.warn(`dataUpdate.time ${config.dataUpdate.time} is inside the air-gap window ${config.airgap!.window}: the update cannot reach its provider there; schedule it after the window`);
    }
  }
  const ctx: SlotContext<unknown> = { s, o, market, cal, schedule: config.schedule, firstDay: start, firstJournaledDay: history[0] ?? start, operator, airgap };
  const dataUpdates = { last: lastDataUpdateDay };
  const background = startBackground(ctx, alertsConfig.heartbeatSeconds, journalWatch(s, o.journalPath, o.key, alertsConfig.verifyEverySeconds, Date.now()));
  try {
    const resumed = events.length > 0;
    if (!resumed) o.log.info(`starting ${config.mode} run ${config.name} on ${o.clock.label}, first trading day ${start}, broker ${broker.name}`);
    else o.log.info(`resuming ${o.journalPath} after seq ${s.expected} (${lastStep ? `${lastStep.day} ${lastStep.step}` : 'no step yet'})`);
    const startedAt = o.clock.now();
    // The air gap first: inside the window nothing of the start-up may reach what is not allowed.
    await s.exclusive(async () => { const st = s.stager(); airgap?.sync(s, st, o.clock.now()); await s.commit(st); });
    await s.exclusive(async () => {
      if (!warmedUp) await warmUp(ctx, run, resumed);
      if (resumed) await resumeActions(ctx, tookOver, lastStep);
    });
    // A new run begins at its start instant; a resumed one goes on after its last step (catching up).
    const reason = await loop(ctx, resumed ? null : startedAt - 1, dataUpdates);
    const details = reason === 'UNTIL' ? `--until reached` : reason === 'SIGNAL' ? 'stopped by a signal' : 'the market data ends';
    await s.exclusive(async () => { // the background still ticks: its commits and checks take turns with this one
      const st = s.stager();
      if (airgap && egressGuard().armed) {
        egressGuard().disarm(); // the process ends: it enforces nothing any more, and says so
        st.stage({ type: 'AirgapDisarmed', data: { day: dayOfMs(o.clock.now()), window: airgap.windowText, blocked: 0 } }, o.clock.now());
      }
      st.stage({ type: 'ServiceStopped', data: { reason, details, day: s.lastStep?.day ?? null, step: s.lastStep?.step ?? null } }, o.clock.now());
      await s.commit(st);
    });
    o.log.info(`stopped (${details}) at seq ${s.expected}`);
    return { reason, lastSeq: s.expected, headHash: s.headHash, resumed };
  } finally {
    await background.stop();
    await broker.close();
    await journal.close();
  }
}

/**
 * Runs the schedule's slots in order until a stop. After downtime (system clock) a poll long past
 * is skipped, a step of today runs late, and of a day already over only the after-close step runs
 * — its bars are taken and the strategy sees every day; the orders it decides for a day gone by
 * are cancelled at the next release — so no day is missed and nothing is sent late.
 */
async function loop(ctx: SlotContext<unknown>, from: number | null, dataUpdates: { last: string | null }): Promise<ServiceResult['reason']> {
  const { s, o, cal, schedule } = ctx;
  const pollMs = schedule.pollSeconds * 1000;
  const last = s.lastStep ? stepTime(s.lastStep.day, s.lastStep.step, schedule) : o.clock.now() - 1;
  let lastAt = from === null ? last : Math.max(last, from);
  for (;;) {
    if (o.stop.aborted) return 'SIGNAL';
    let slot;
    try {
      slot = firstSlotFrom(lastAt, cal, schedule, true);
    } catch (e) {
      throw new AppError('CALENDAR_ENDS', `the exchange calendar (config/market/holidays.yaml) has no trading day after ${new Date(lastAt).toISOString().slice(0, 10)}: ${(e as Error).message}`, EXIT.badInput);
    }
    // The service's own data update falls between steps, at its own time (before --until too).
    const update = nextDataUpdate(ctx, lastAt, o.until === null ? slot.at : Math.min(slot.at, o.until), dataUpdates.last);
    if (update) {
      await o.clock.sleepUntil(update.at, o.stop);
      if (o.stop.aborted) return 'SIGNAL';
      dataUpdates.last = update.day;
      await s.exclusive(async () => {
        const at = Math.max(update.at, o.clock.now());
        const st = s.stager();
        ctx.airgap?.sync(s, st, at);
        await dataUpdateStep(ctx, st, update.day, at);
        ctx.airgap?.sync(s, st, at); // what the update tried and was refused
        await s.commit(st);
      });
      continue;
    }
    if (o.until !== null && slot.at > o.until) {
      await o.clock.sleepUntil(o.until, o.stop);
      return o.stop.aborted ? 'SIGNAL' : 'UNTIL';
    }
    const now = o.clock.now();
    if (slot.kind === 'poll' && now > slot.at + pollMs) { lastAt = slot.at; continue; } // a poll long past: the next one covers it
    if (slot.kind !== 'afterclose' && slot.at < now && slot.day < dayOfMs(now)) { lastAt = slot.at; continue; } // a day already over
    await o.clock.sleepUntil(slot.at, o.stop);
    if (o.stop.aborted) return 'SIGNAL';
    const outcome = await s.exclusive(async () => {
      const st = s.stager();
      ctx.airgap?.sync(s, st, slot.at);
      await s.commit(st);
      await applyOperatorCommands(ctx.operator, s.stager()); // a kill switch engaged just before a step is obeyed by it
      return runSlot(ctx, slot);
    });
    if (outcome === 'END_OF_DATA') return 'END_OF_DATA';
    lastAt = slot.at;
  }
}

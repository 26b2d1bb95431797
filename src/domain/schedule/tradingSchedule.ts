import { z } from 'zod';
import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import type { StepName } from '../events/service.js';
import type { TradingDay } from '../tradingDay.js';
import { dayOfMs, exchangeTimeMs } from '../tradingDay.js';

/*
 * The trading day as a schedule of steps in exchange time (Asia/Shanghai, UTC+08:00 all year):
 * pre-open check, order release at/after the open, broker polls through the continuous sessions,
 * the close, reconciliation, and the after-close step that takes the day's bars and decides the
 * next day's orders. A backtest drives the same steps back to back; the service sleeps between them.
 */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const zTime = z.string().regex(HHMM, 'expected HH:MM (24-hour, Asia/Shanghai)');
const zSession = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM');

/** The `schedule:` config section; every time is exchange time (Asia/Shanghai). */
export const ScheduleConfigSchema = z.strictObject({
  /** Data check before the session (the last close's bars must be in). */
  preOpen: zTime.default('09:00'),
  /** Orders decided after the last close go to the broker (09:15–09:25 joins the opening call auction). */
  release: zTime.default('09:30'),
  /** Continuous trading sessions; the broker is polled through them and the last one's end is the close. */
  sessions: z.array(zSession).min(1).max(4).default(['09:30-11:30', '13:00-15:00']),
  /** Seconds between broker polls within the sessions. */
  pollSeconds: z.number().int().min(1).max(3600).default(60),
  /** Positions and cash compared with the broker's. */
  reconcile: zTime.default('15:05'),
  /** The day's bars are taken (the after-close data update), the account valued and the next day's orders decided. */
  afterClose: zTime.default('15:30'),
  /** Trading days of stored history folded before the first traded day, so the strategy trades from day one. */
  warmupDays: z.number().int().min(0).max(5000).default(250),
  /** How long to wait for an external broker's answers at release and at the close, seconds. */
  brokerTimeoutSeconds: z.number().int().min(1).max(3600).default(30),
}).superRefine((s, ctx) => {
  // Runs even when a field failed its own format check: compare only well-formed times.
  const all = [s.preOpen, s.release, s.reconcile, s.afterClose, ...s.sessions.flatMap((x) => x.split('-'))];
  if (s.sessions.length === 0 || !all.every((t) => HHMM.test(t))) return;
  const m = (t: string) => toMinutes(t);
  const sessions = s.sessions.map((x) => x.split('-').map(m) as [number, number]);
  sessions.forEach(([a, b], i) => {
    if (a >= b) ctx.addIssue({ code: 'custom', path: ['sessions', i], message: 'a session must end after it starts' });
    if (i > 0 && a < sessions[i - 1]![1]) ctx.addIssue({ code: 'custom', path: ['sessions', i], message: 'sessions must not overlap and must be in order' });
  });
  const close = sessions[sessions.length - 1]![1];
  const order: [string, number][] = [['preOpen', m(s.preOpen)], ['release', m(s.release)], ['close', close], ['reconcile', m(s.reconcile)], ['afterClose', m(s.afterClose)]];
  // Strictly in order: two steps at one instant would make the service run only one of them.
  for (let i = 1; i < order.length; i++) {
    const [name, t] = order[i]!, [prev, tp] = order[i - 1]!;
    if (t <= tp) ctx.addIssue({ code: 'custom', path: [name === 'close' ? 'sessions' : name], message: `${name} must come after ${prev}` });
  }
  if (m(s.release) < m('09:15')) ctx.addIssue({ code: 'custom', path: ['release'], message: 'orders are not taken before 09:15 (the opening call auction)' });
});
export type ScheduleConfig = z.infer<typeof ScheduleConfigSchema>;
export const DEFAULT_SCHEDULE: ScheduleConfig = ScheduleConfigSchema.parse({});

export function toMinutes(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`not a time HH:MM: ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** A poll between the steps is not recorded on its own; the other slots are steps. */
export type SlotKind = StepName | 'poll';

export interface Slot {
  readonly day: TradingDay;
  readonly kind: SlotKind;
  /** Epoch ms. */
  readonly at: number;
}

const at = (day: TradingDay, minutes: number, seconds = 0): number => exchangeTimeMs(day, 0, minutes) + seconds * 1000;

/** Every slot of one trading day, in time order. */
export function slotsOfDay(day: TradingDay, s: ScheduleConfig): Slot[] {
  const release = toMinutes(s.release);
  const sessions = s.sessions.map((x) => x.split('-').map(toMinutes) as [number, number]);
  const close = sessions[sessions.length - 1]![1];
  const out: Slot[] = [{ day, kind: 'preopen', at: at(day, toMinutes(s.preOpen)) }, { day, kind: 'release', at: at(day, release) }];
  const releaseAt = at(day, release);
  for (const [a, b] of sessions) {
    const end = at(day, b);
    for (let t = Math.max(at(day, a), releaseAt + s.pollSeconds * 1000); t < end; t += s.pollSeconds * 1000) out.push({ day, kind: 'poll', at: t });
    if (b !== close && end > releaseAt) out.push({ day, kind: 'poll', at: end });
  }
  out.push({ day, kind: 'close', at: at(day, close) }, { day, kind: 'reconcile', at: at(day, toMinutes(s.reconcile)) }, { day, kind: 'afterclose', at: at(day, toMinutes(s.afterClose)) });
  return out;
}

/** The steps (no polls) of one trading day, in order. */
export const STEPS: readonly StepName[] = ['preopen', 'release', 'close', 'reconcile', 'afterclose'];

/** The step of `day` that follows `step`, or null after the last. */
export function stepAfter(step: StepName): StepName | null {
  const i = STEPS.indexOf(step);
  return i + 1 < STEPS.length ? STEPS[i + 1]! : null;
}

/**
 * When a step of `day` is scheduled, epoch ms: its slot's instant in `slotsOfDay` (a test holds the
 * two together), without making the day's polls — the broker asks for the close per fill.
 */
export function stepTime(day: TradingDay, step: StepName, s: ScheduleConfig): number {
  let minutes = stepMinutesBySchedule.get(s);
  if (minutes === undefined) {
    const sessions = s.sessions.map((x) => x.split('-').map(toMinutes) as [number, number]);
    minutes = {
      preopen: toMinutes(s.preOpen), release: toMinutes(s.release), close: sessions[sessions.length - 1]![1],
      reconcile: toMinutes(s.reconcile), afterclose: toMinutes(s.afterClose),
    };
    stepMinutesBySchedule.set(s, minutes);
  }
  return at(day, minutes[step]);
}

const stepMinutesBySchedule = new WeakMap<ScheduleConfig, Readonly<Record<StepName, number>>>();

/**
 * The first slot at or after `fromMs` (strictly after when `exclusive`), on trading days of the
 * calendar: non-trading days are skipped. Throws RangeError past the calendar's table.
 */
export function firstSlotFrom(fromMs: number, cal: TradingCalendar, s: ScheduleConfig, exclusive = false): Slot {
  let day = dayOfMs(fromMs);
  if (day < cal.firstDay) day = cal.firstDay;
  if (!cal.isTradingDay(day)) day = cal.next(day);
  for (;;) {
    const hit = slotsOfDay(day, s).find((x) => (exclusive ? x.at > fromMs : x.at >= fromMs));
    if (hit) return hit;
    day = cal.next(day);
  }
}

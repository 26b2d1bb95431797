import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ScheduleConfig, Slot, TradingDay } from '../../../src/domain/index.js';
import {
  DEFAULT_SCHEDULE, STEPS, ScheduleConfigSchema, firstSlotFrom, slotsOfDay, stepAfter, stepTime, toMinutes,
} from '../../../src/domain/schedule/tradingSchedule.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';

const loaded = loadMarketRules('config/market');
if (!isRight(loaded)) throw new Error('config/market does not load');
const cal = loaded.right.calendar;

/** Epoch ms of an Asia/Shanghai wall time (UTC+08:00 all year). */
const sh = (day: string, hhmm: string, ss = '00'): number => Date.parse(`${day}T${hhmm}:${ss}+08:00`);
const D = '2024-03-01' as TradingDay; // a Friday
const schedule = (o: Partial<ScheduleConfig>): ScheduleConfig => ScheduleConfigSchema.parse(o);
const issues = (input: unknown): [string, string][] => {
  const r = ScheduleConfigSchema.safeParse(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return r.error.issues.map((i) => [i.path.join('.'), i.message]);
};
const stepsOf = (slots: readonly Slot[]) => slots.filter((s) => s.kind !== 'poll');
const pollsOf = (slots: readonly Slot[]) => slots.filter((s) => s.kind === 'poll').map((s) => s.at);

describe('ScheduleConfigSchema', () => {
  it('an empty section takes the defaults', () => {
    expect(ScheduleConfigSchema.parse({})).toEqual({
      preOpen: '09:00', release: '09:30', sessions: ['09:30-11:30', '13:00-15:00'], pollSeconds: 60,
      reconcile: '15:05', afterClose: '15:30', warmupDays: 250, brokerTimeoutSeconds: 30,
    });
    expect(DEFAULT_SCHEDULE).toEqual(ScheduleConfigSchema.parse({}));
  });

  it('accepts a release in the opening call auction, and refuses one at the close (two steps at one instant would run only one)', () => {
    expect(ScheduleConfigSchema.safeParse({ release: '09:15' }).success).toBe(true);
    expect(issues({ release: '15:00' })).toEqual([['sessions', 'close must come after release']]);
  });

  it('refuses an empty session list at its path instead of throwing', () => {
    expect(() => ScheduleConfigSchema.safeParse({ sessions: [] })).not.toThrow();
    expect(issues({ sessions: [] }).map(([p]) => p)).toEqual(['sessions']);
  });

  it('refuses times that are not HH:MM, at their path', () => {
    expect(issues({ preOpen: '9:00' })).toEqual([['preOpen', 'expected HH:MM (24-hour, Asia/Shanghai)']]);
    expect(issues({ afterClose: '24:00' })).toEqual([['afterClose', 'expected HH:MM (24-hour, Asia/Shanghai)']]);
    expect(issues({ reconcile: '15:5' })[0]).toEqual(['reconcile', 'expected HH:MM (24-hour, Asia/Shanghai)']);
    expect(issues({ sessions: ['09:30-11:30', '13:00-15:00', '9:00-9:10'] })).toEqual([['sessions.2', 'expected HH:MM-HH:MM']]);
  });

  it('refuses a session that ends before it starts, and sessions that overlap or are out of order', () => {
    expect(issues({ sessions: ['11:30-09:30'] })).toContainEqual(['sessions.0', 'a session must end after it starts']);
    expect(issues({ sessions: ['09:30-11:30', '11:00-15:00'] })).toEqual([['sessions.1', 'sessions must not overlap and must be in order']]);
    expect(issues({ sessions: ['13:00-15:00', '09:30-11:30'] })).toContainEqual(['sessions.1', 'sessions must not overlap and must be in order']);
  });

  it('refuses a release before 09:15 and a release not after the pre-open', () => {
    expect(issues({ release: '09:10' })).toEqual([['release', 'orders are not taken before 09:15 (the opening call auction)']]);
    expect(issues({ preOpen: '09:45' })).toEqual([['release', 'release must come after preOpen']]);
  });

  it('refuses a release after the close (at the sessions), a reconcile not after the close, an after-close not after the reconcile', () => {
    expect(issues({ release: '15:10', reconcile: '15:20', afterClose: '15:30' })).toEqual([['sessions', 'close must come after release']]);
    expect(issues({ reconcile: '15:00' })).toEqual([['reconcile', 'reconcile must come after close']]);
    expect(issues({ reconcile: '14:55' })).toEqual([['reconcile', 'reconcile must come after close']]);
    expect(issues({ afterClose: '15:05' })).toEqual([['afterClose', 'afterClose must come after reconcile']]);
  });

  it('reports every ordering problem at once', () => {
    expect(issues({ reconcile: '14:00', afterClose: '13:00' })).toEqual([
      ['reconcile', 'reconcile must come after close'],
      ['afterClose', 'afterClose must come after reconcile'],
    ]);
  });

  it('refuses out-of-range numbers, too many sessions and unknown keys', () => {
    expect(issues({ pollSeconds: 0 }).map(([p]) => p)).toEqual(['pollSeconds']);
    expect(issues({ pollSeconds: 1.5 }).map(([p]) => p)).toEqual(['pollSeconds']);
    expect(issues({ warmupDays: -1 }).map(([p]) => p)).toEqual(['warmupDays']);
    expect(issues({ brokerTimeoutSeconds: 3601 }).map(([p]) => p)).toEqual(['brokerTimeoutSeconds']);
    expect(issues({ sessions: ['09:30-10:00', '10:10-10:20', '10:30-10:40', '10:50-11:00', '13:00-15:00'] }).map(([p]) => p)).toEqual(['sessions']);
    expect(issues({ polSeconds: 60 }).length).toBe(1);
  });
});

describe('toMinutes', () => {
  it('reads HH:MM as minutes after midnight and throws on anything else', () => {
    expect(toMinutes('00:00')).toBe(0);
    expect(toMinutes('09:30')).toBe(570);
    expect(toMinutes('23:59')).toBe(1439);
    expect(() => toMinutes('9:30')).toThrow(RangeError);
    expect(() => toMinutes('24:00')).toThrow(RangeError);
  });
});

describe('slotsOfDay (default schedule)', () => {
  const slots = slotsOfDay(D, DEFAULT_SCHEDULE);

  it('has the five steps in order at their exchange times (UTC+08:00)', () => {
    expect(stepsOf(slots)).toEqual([
      { day: D, kind: 'preopen', at: sh(D, '09:00') },
      { day: D, kind: 'release', at: sh(D, '09:30') },
      { day: D, kind: 'close', at: sh(D, '15:00') },
      { day: D, kind: 'reconcile', at: sh(D, '15:05') },
      { day: D, kind: 'afterclose', at: sh(D, '15:30') },
    ]);
    // Absolute instants, not local time: 09:30 Shanghai is 01:30 UTC.
    expect(stepsOf(slots)[1]!.at).toBe(Date.UTC(2024, 2, 1, 1, 30));
  });

  it('is in strictly increasing time order, every slot on the day', () => {
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.at).toBeGreaterThan(slots[i - 1]!.at);
    expect(new Set(slots.map((s) => s.day))).toEqual(new Set([D]));
  });

  it('polls every minute through the sessions after the release, once at the morning session end, never in the lunch break', () => {
    const polls = pollsOf(slots);
    const morning = polls.filter((t) => t <= sh(D, '11:30'));
    const afternoon = polls.filter((t) => t >= sh(D, '13:00'));
    expect(morning[0]).toBe(sh(D, '09:31'));
    expect(morning.at(-1)).toBe(sh(D, '11:30'));
    expect(morning).toHaveLength(120); // 09:31 … 11:30
    expect(afternoon[0]).toBe(sh(D, '13:00'));
    expect(afternoon.at(-1)).toBe(sh(D, '14:59'));
    expect(afternoon).toHaveLength(120); // 13:00 … 14:59; 15:00 is the close
    expect(morning.length + afternoon.length).toBe(polls.length); // nothing in 11:30–13:00
    for (let i = 1; i < morning.length; i++) expect(morning[i]! - morning[i - 1]!).toBe(60_000);
    expect(polls).not.toContain(sh(D, '15:00'));
  });

  it('with a slower poll, exactly the poll instants expected', () => {
    const s = slotsOfDay(D, schedule({ pollSeconds: 1800 }));
    expect(pollsOf(s)).toEqual(['10:00', '10:30', '11:00', '11:30', '13:00', '13:30', '14:00', '14:30'].map((t) => sh(D, t)));
  });

  it('polls nothing before the release when the release is after the open', () => {
    const s = slotsOfDay(D, schedule({ pollSeconds: 1800, release: '10:00' }));
    expect(pollsOf(s)).toEqual(['10:30', '11:00', '11:30', '13:00', '13:30', '14:00', '14:30'].map((t) => sh(D, t)));
    expect(s[1]).toEqual({ day: D, kind: 'release', at: sh(D, '10:00') });
  });

  it('the close is the end of the last session', () => {
    const s = schedule({ sessions: ['09:30-11:30', '13:00-14:57'], reconcile: '15:00' });
    expect(stepTime(D, 'close', s)).toBe(sh(D, '14:57'));
    expect(pollsOf(slotsOfDay(D, s)).at(-1)).toBe(sh(D, '14:56'));
  });
});

describe('stepAfter / stepTime', () => {
  it('steps follow each other in order, none after the after-close', () => {
    expect(STEPS).toEqual(['preopen', 'release', 'close', 'reconcile', 'afterclose']);
    expect(stepAfter('preopen')).toBe('release');
    expect(stepAfter('release')).toBe('close');
    expect(stepAfter('close')).toBe('reconcile');
    expect(stepAfter('reconcile')).toBe('afterclose');
    expect(stepAfter('afterclose')).toBeNull();
  });

  it('gives each step the instant of its slot in slotsOfDay, for any schedule and day', () => {
    const schedules = [DEFAULT_SCHEDULE, schedule({ sessions: ['09:30-11:30', '13:00-14:57'], reconcile: '15:00' }), schedule({ preOpen: '08:55', afterClose: '16:10', pollSeconds: 7 })];
    for (const s of schedules) {
      for (const day of ['2024-01-02', '2024-06-28', '2025-02-10'] as TradingDay[]) {
        for (const step of STEPS) expect(stepTime(day, step, s), `${step} ${day}`).toBe(slotsOfDay(day, s).find((x) => x.kind === step)!.at);
      }
    }
  });

  it('gives each step its instant on the day', () => {
    expect(stepTime(D, 'preopen', DEFAULT_SCHEDULE)).toBe(Date.parse('2024-03-01T09:00:00+08:00'));
    expect(stepTime(D, 'release', DEFAULT_SCHEDULE)).toBe(Date.parse('2024-03-01T09:30:00+08:00'));
    expect(stepTime(D, 'close', DEFAULT_SCHEDULE)).toBe(Date.parse('2024-03-01T15:00:00+08:00'));
    expect(stepTime(D, 'reconcile', DEFAULT_SCHEDULE)).toBe(Date.parse('2024-03-01T15:05:00+08:00'));
    expect(stepTime(D, 'afterclose', DEFAULT_SCHEDULE)).toBe(Date.parse('2024-03-01T15:30:00+08:00'));
    expect(stepTime(D, 'release', schedule({ release: '09:25' }))).toBe(Date.parse('2024-03-01T09:25:00+08:00'));
  });
});

describe('firstSlotFrom (real exchange calendar)', () => {
  const first = (iso: string, exclusive = false) => firstSlotFrom(Date.parse(iso), cal, DEFAULT_SCHEDULE, exclusive);

  it('before the pre-open of a trading day: that pre-open', () => {
    expect(first('2024-03-01T08:00:00+08:00')).toEqual({ day: '2024-03-01', kind: 'preopen', at: sh('2024-03-01', '09:00') });
  });

  it('at a slot: that slot when inclusive, the next one when exclusive', () => {
    expect(first('2024-03-01T09:00:00+08:00')).toMatchObject({ kind: 'preopen', at: sh(D, '09:00') });
    expect(first('2024-03-01T09:00:00+08:00', true)).toMatchObject({ kind: 'release', at: sh(D, '09:30') });
    expect(first('2024-03-01T09:30:00+08:00', true)).toMatchObject({ kind: 'poll', at: sh(D, '09:31') });
    expect(first('2024-03-01T15:30:00+08:00')).toMatchObject({ day: D, kind: 'afterclose' });
    expect(first('2024-03-01T15:30:00+08:00', true)).toMatchObject({ day: '2024-03-04', kind: 'preopen' });
  });

  it('in the lunch break: the first afternoon poll', () => {
    expect(first('2024-03-01T11:45:00+08:00')).toEqual({ day: D, kind: 'poll', at: sh(D, '13:00') });
  });

  it('uses exchange time for the date, not UTC (23:00 UTC Thursday is Friday 07:00 in Shanghai)', () => {
    expect(firstSlotFrom(Date.UTC(2024, 1, 29, 23, 0), cal, DEFAULT_SCHEDULE)).toMatchObject({ day: '2024-03-01', kind: 'preopen' });
  });

  it('after Friday\'s last step and over the weekend: Monday\'s pre-open', () => {
    expect(first('2024-03-01T16:00:00+08:00')).toEqual({ day: '2024-03-04', kind: 'preopen', at: sh('2024-03-04', '09:00') });
    expect(first('2024-03-02T10:00:00+08:00')).toEqual({ day: '2024-03-04', kind: 'preopen', at: sh('2024-03-04', '09:00') });
    expect(first('2024-03-03T23:59:00+08:00')).toMatchObject({ day: '2024-03-04', kind: 'preopen' });
  });

  it('skips the 2024 Spring Festival closure (2024-02-09 and 02-12…02-16 per holidays.yaml)', () => {
    expect(cal.isTradingDay('2024-02-08' as TradingDay)).toBe(true);
    // Thursday 2024-02-08 was the last trading day before the holiday; Monday 02-19 the first after.
    expect(first('2024-02-08T16:00:00+08:00')).toEqual({ day: '2024-02-19', kind: 'preopen', at: sh('2024-02-19', '09:00') });
    expect(first('2024-02-08T15:30:00+08:00')).toMatchObject({ day: '2024-02-08', kind: 'afterclose' });
    expect(first('2024-02-08T15:30:00+08:00', true)).toMatchObject({ day: '2024-02-19', kind: 'preopen' });
    expect(first('2024-02-09T10:00:00+08:00')).toMatchObject({ day: '2024-02-19', kind: 'preopen' }); // Friday, a closure
    expect(first('2024-02-14T12:00:00+08:00')).toMatchObject({ day: '2024-02-19', kind: 'preopen' });
  });

  it('skips New Year\'s Day', () => {
    expect(first('2024-01-01T09:00:00+08:00')).toEqual({ day: '2024-01-02', kind: 'preopen', at: sh('2024-01-02', '09:00') });
  });

  it('before the calendar\'s table starts: its first day', () => {
    expect(first('1990-01-01T00:00:00+08:00')).toMatchObject({ day: cal.firstDay, kind: 'preopen' });
  });

  it('past the end of the calendar\'s table: a RangeError', () => {
    expect(() => first(`${cal.lastDay}T16:00:00+08:00`)).toThrow(RangeError);
  });
});

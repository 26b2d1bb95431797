import { describe, expect, it } from 'vitest';
import { createSimClock, createSystemServiceClock, parseClockSpec, parseInstant } from '../../../src/adapters/clock/serviceClock.js';

const T = Date.parse('2024-03-01T08:00:00+08:00');

describe('parseInstant', () => {
  it('reads an ISO date-time with its offset, Z, or none (then Asia/Shanghai, +08:00)', () => {
    expect(parseInstant('2024-03-01T08:00:00+08:00')).toBe(T);
    expect(parseInstant('2024-03-01T00:00:00Z')).toBe(T);
    expect(parseInstant('2024-03-01T08:00:00')).toBe(T);
    expect(parseInstant('2024-03-01T08:00')).toBe(T);
    expect(parseInstant('2024-03-01T09:00:00+09:00')).toBe(T);
    expect(parseInstant('2024-03-01T08:00:00.250')).toBe(T + 250);
  });

  it('is null for anything that is not such a date-time', () => {
    for (const s of ['', '2024-03-01', '2024-03-01 08:00:00', 'yesterday', '2024-03-01T8:00', '2024-13-01T08:00:00', '2024-03-01T08:00:00+0800', '2024-02-30T08:00:00', '2023-02-29T08:00']) {
      expect(parseInstant(s), s).toBeNull();
    }
  });
});

describe('parseClockSpec', () => {
  it('system', () => {
    expect(parseClockSpec('system')).toEqual({ kind: 'system' });
  });

  it('sim with a speed: max, an integer, a fraction', () => {
    expect(parseClockSpec('sim:2024-03-01T08:00:00+08:00:max')).toEqual({ kind: 'sim', startMs: T, speed: 'max' });
    expect(parseClockSpec('sim:2024-03-01T08:00:00+08:00:600')).toEqual({ kind: 'sim', startMs: T, speed: 600 });
    expect(parseClockSpec('sim:2024-03-01T08:00:00+08:00:0.5')).toEqual({ kind: 'sim', startMs: T, speed: 0.5 });
  });

  it('sim without a speed runs at real time (1)', () => {
    expect(parseClockSpec('sim:2024-03-01T08:00:00+08:00')).toEqual({ kind: 'sim', startMs: T, speed: 1 });
  });

  it('sim without an offset is Asia/Shanghai time; Z is UTC', () => {
    expect(parseClockSpec('sim:2024-03-01T08:00:00:max')).toEqual({ kind: 'sim', startMs: T, speed: 'max' });
    expect(parseClockSpec('sim:2024-03-01T08:00:00')).toEqual({ kind: 'sim', startMs: T, speed: 1 });
    expect(parseClockSpec('sim:2024-03-01T00:00:00Z:60')).toEqual({ kind: 'sim', startMs: T, speed: 60 });
    expect(parseClockSpec('sim:2024-03-01T00:00:00Z')).toEqual({ kind: 'sim', startMs: T, speed: 1 });
  });

  it('refuses another prefix with a sentence naming the forms it takes', () => {
    const m = parseClockSpec('wall');
    expect(typeof m).toBe('string');
    expect(m).toBe('--clock takes system or sim:ISO_START[:SPEED], got "wall"');
    expect(typeof parseClockSpec('SYSTEM')).toBe('string');
    expect(typeof parseClockSpec('simulated:2024-03-01T08:00:00+08:00')).toBe('string');
  });

  it('refuses a start that is not an ISO date-time', () => {
    expect(parseClockSpec('sim:2024-03-01:max')).toMatch(/^--clock sim: .* is not an ISO 8601 date-time/);
    expect(parseClockSpec('sim:tomorrow')).toMatch(/is not an ISO 8601 date-time like 2024-03-01T08:00:00\+08:00/);
    expect(typeof parseClockSpec('sim:')).toBe('string');
  });

  it('refuses a speed of 0, a negative one, or text', () => {
    for (const speed of ['0', '0.0', '-1', 'fast', '1e3', '']) {
      const m = parseClockSpec(`sim:2024-03-01T08:00:00+08:00:${speed}`);
      expect(m, speed).toBe(`--clock sim: speed ${JSON.stringify(speed)} must be max or a positive number`);
    }
  });
});

describe('createSimClock', () => {
  const never = new AbortController().signal;

  it('starts at its start and carries its label', () => {
    const c = createSimClock(T, 'max', 'sim:2024-03-01T08:00:00+08:00:max');
    expect(c.now()).toBe(T);
    expect(c.kind).toBe('sim');
    expect(c.label).toBe('sim:2024-03-01T08:00:00+08:00:max');
  });

  it('max: sleepUntil jumps straight to the instant', async () => {
    const c = createSimClock(T, 'max', 'sim');
    const noon = Date.parse('2024-03-01T12:00:00+08:00');
    await c.sleepUntil(noon, never);
    expect(c.now()).toBe(noon);
    const nextWeek = noon + 7 * 86_400_000;
    await c.sleepUntil(nextWeek, never);
    expect(c.now()).toBe(nextWeek);
  });

  it('never goes back: sleepUntil an earlier instant leaves it where it is', async () => {
    const c = createSimClock(T, 'max', 'sim');
    await c.sleepUntil(T + 3_600_000, never);
    await c.sleepUntil(T, never);
    expect(c.now()).toBe(T + 3_600_000);
  });

  it('resumeAt moves it forward, never back', () => {
    const c = createSimClock(T, 'max', 'sim');
    c.resumeAt(T + 60_000);
    expect(c.now()).toBe(T + 60_000);
    c.resumeAt(T);
    expect(c.now()).toBe(T + 60_000);
  });

  it('an aborted signal stops a speed-limited sleep without moving the clock', async () => {
    const c = createSimClock(T, 1, 'sim');
    const ac = new AbortController();
    ac.abort();
    await c.sleepUntil(T + 86_400_000, ac.signal); // a day at real time: returns only because it is aborted
    expect(c.now()).toBe(T);
  });

  it('an abort during a speed-limited sleep leaves the clock where it was', async () => {
    const c = createSimClock(T, 1, 'sim');
    const ac = new AbortController();
    const sleeping = c.sleepUntil(T + 86_400_000, ac.signal);
    ac.abort();
    await sleeping;
    expect(c.now()).toBe(T);
  });

  it('pause waits without moving the simulated clock', async () => {
    const c = createSimClock(T, 'max', 'sim');
    await c.pause(1, never);
    expect(c.now()).toBe(T);
  });
});

describe('createSystemServiceClock', () => {
  it('is the system clock: an aborted sleep returns, resumeAt does nothing', async () => {
    const c = createSystemServiceClock();
    expect(c.kind).toBe('system');
    expect(c.label).toBe('system');
    const ac = new AbortController();
    ac.abort();
    const before = c.now();
    await c.sleepUntil(before + 86_400_000, ac.signal);
    c.resumeAt(before + 86_400_000);
    expect(c.now()).toBeLessThan(before + 86_400_000);
  });
});

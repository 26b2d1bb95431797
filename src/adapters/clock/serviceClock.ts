import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../domain/index.js';
import { parseExchangeDateTime } from '../../domain/index.js';

/**
 * The clock a long-running service sleeps on. `sleepUntil` returns at the instant (or at once when
 * `signal` aborts); `pause` waits real time without moving a simulated clock (waiting for an
 * external broker's answers).
 */
export interface ServiceClock extends Clock {
  readonly kind: 'system' | 'sim';
  /** How it was asked for (`system`, `sim:2024-03-01T08:00:00+08:00:max`), for the journal and logs. */
  readonly label: string;
  sleepUntil(ms: number, signal: AbortSignal): Promise<void>;
  pause(ms: number, signal: AbortSignal): Promise<void>;
  /** A simulated clock resumed from a journal continues from the last step it recorded (never goes back). */
  resumeAt(ms: number): void;
}

const quietSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  if (ms <= 0 || signal.aborted) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch { /* aborted: the caller checks the signal */ }
};

/** Live: the machine's clock. Sleeps in slices of at most a minute so a changed system time is noticed. */
export function createSystemServiceClock(): ServiceClock {
  const now = () => Date.now(); // allow-nondeterminism: this adapter IS the wall-clock port
  return {
    kind: 'system', label: 'system', now,
    async sleepUntil(ms, signal) {
      while (!signal.aborted && now() < ms) await quietSleep(Math.min(60_000, ms - now()), signal);
    },
    pause: quietSleep,
    resumeAt: () => undefined,
  };
}

/**
 * A simulated clock from `startMs`: `max` jumps straight to each instant asked for; a number runs
 * that many times faster than real time (600 = ten simulated minutes a second).
 */
export function createSimClock(startMs: number, speed: number | 'max', label: string): ServiceClock {
  let t = startMs;
  return {
    kind: 'sim', label, now: () => t,
    async sleepUntil(ms, signal) {
      if (ms <= t) return;
      if (speed !== 'max') await quietSleep((ms - t) / speed, signal);
      if (!signal.aborted) t = ms;
    },
    pause: quietSleep,
    resumeAt(ms) { if (ms > t) t = ms; },
  };
}

export type ClockSpec = { readonly kind: 'system' } | { readonly kind: 'sim'; readonly startMs: number; readonly speed: number | 'max' };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Instant of an ISO 8601 date-time (`T`, `±HH:MM` offsets); without an offset it is exchange time (Asia/Shanghai, +08:00). */
export const parseInstant = (s: string): number | null => (ISO.test(s) ? parseExchangeDateTime(s) : null);

/**
 * `system`, or `sim:ISO_START[:SPEED]` with SPEED `max` or a positive number (default 1: real
 * time). The start may carry an offset (`2024-03-01T08:00:00+08:00`); without one it is
 * Asia/Shanghai time. Give the start with its seconds when a speed follows: `…T08:00:30` is
 * 08:00:30 at real time, `…T08:00:00:30` is 08:00 at 30×. Returns a sentence saying what is wrong.
 */
export function parseClockSpec(s: string): ClockSpec | string {
  if (s === 'system') return { kind: 'system' };
  if (!s.startsWith('sim:')) return `--clock takes system or sim:ISO_START[:SPEED], got ${JSON.stringify(s)}`;
  const rest = s.slice(4);
  let iso = rest, speedText: string | null = null;
  if (parseInstant(rest) === null) {
    const i = rest.lastIndexOf(':');
    iso = rest.slice(0, i);
    speedText = rest.slice(i + 1);
  }
  const startMs = parseInstant(iso);
  if (startMs === null) return `--clock sim: ${JSON.stringify(iso)} is not an ISO 8601 date-time like 2024-03-01T08:00:00+08:00`;
  if (speedText === null) return { kind: 'sim', startMs, speed: 1 };
  if (speedText === 'max') return { kind: 'sim', startMs, speed: 'max' };
  const n = Number(speedText);
  if (!/^\d+(\.\d+)?$/.test(speedText) || !(n > 0) || n > 1e9) return `--clock sim: speed ${JSON.stringify(speedText)} must be max or a positive number`;
  return { kind: 'sim', startMs, speed: n };
}

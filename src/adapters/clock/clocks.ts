import type { Clock } from '../../domain/index.js';

/** A clock that can be told what time the market says it is (backtests and audit replays). */
export interface MarketDrivenClock extends Clock {
  observe(marketTimeMs: number): void;
}

/** Backtests and replays: time is the market time of the data being processed, so runs are reproducible. */
export function createReplayClock(startMs = 0): MarketDrivenClock {
  let t = startMs;
  return { now: () => t, observe: (ms: number) => { if (ms > t) t = ms; } };
}

/** Live and paper runs: the machine's clock. */
export function createSystemClock(): Clock {
  return { now: () => Date.now() }; // allow-nondeterminism: this adapter IS the wall-clock port
}

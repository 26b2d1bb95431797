import type { CashDividend, DayBars } from '../bars.js';
import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import { dailyLimitBand } from '../market/board.js';
import { divRound } from '../money.js';
import type { TradingDay } from '../tradingDay.js';
import { createPrng } from './prng.js';
import { planEvents, type EventPlan } from './syntheticEvents.js';
import {
  drawUniverse, SYNTHETIC_BOARDS, syntheticTradingDays, type SyntheticInstrument, type Universe,
} from './syntheticUniverse.js';

export interface GenerateMarketOptions {
  /** Number of stocks, 1…10,000. */
  readonly symbols: number;
  /** Number of trading days to generate. */
  readonly days: number;
  readonly seed: number | string;
  /** First day (or the next trading day after it); default 2022-01-04 (after the BSE opened, with ChiNext's 20% band in force). */
  readonly startDay?: TradingDay;
  /** Trading days come from here; past its last day the generator continues with plain weekdays. */
  readonly calendar: TradingCalendar;
}

export interface SyntheticMarket {
  readonly instruments: readonly SyntheticInstrument[];
  readonly tradingDays: readonly TradingDay[];
  /** Cash dividends, ex-day then symbol ascending; each ex-day bar's `preClose` is the ex-dividend reference. */
  readonly dividends: readonly CashDividend[];
  /** One `DayBars` per trading day, generated lazily; every iteration restarts and yields identical data. */
  readonly days: Iterable<DayBars>;
}

/** First trading day of the Beijing Stock Exchange (ashare-market-rules.md §2.1). */
export const BSE_FIRST_DAY = '2021-11-15' as TradingDay;
const BSE_BOARD_INDEX = SYNTHETIC_BOARDS.indexOf('BSE');

export const DEFAULT_SYNTHETIC_START = '2022-01-04' as TradingDay;

const TICK = 10; // 0.01 CNY, the A-share tick (ashare-market-rules.md §2.3)
/** Mean reversion of the latent log price to its start: keeps long runs inside a plausible price range. */
const KAPPA = 0.003;
/** A close pins at the limit with no trading range ("sealed", 一字板) when demand overshoots it by this much (log). */
const SEAL_OVERSHOOT = 0.05;

/**
 * A deterministic synthetic A-share market: a market factor plus per-symbol GBM noise and rare jumps
 * drive a latent "fair" log price; the printed close is that price clamped into the board's daily band
 * around the reference price (§2), so demand beyond the limit carries over into runs of limit days.
 * Same seed, same options → identical bars (no wall clock, no Math.random).
 */
export function generateMarket(o: GenerateMarketOptions): SyntheticMarket {
  if (!Number.isSafeInteger(o.days) || o.days < 1 || o.days > 100_000) throw new RangeError(`days must be an integer in 1…100000 (got ${o.days})`);
  const tradingDays = syntheticTradingDays(o.calendar, o.startDay ?? DEFAULT_SYNTHETIC_START, o.days);
  const u = drawUniverse(o.seed, o.symbols, tradingDays[0]!, o.calendar);
  const plan = planEvents(o.seed, u, tradingDays);
  return Object.freeze({
    instruments: u.instruments,
    tradingDays,
    dividends: plan.dividends,
    days: { [Symbol.iterator]: () => simulate(o.seed, u, plan, tradingDays) },
  });
}

/** Half-up integer division for non-negative safe integers (the exchanges' 四舍五入). */
const halfUp = (n: number, d: number): number => {
  const q = Math.floor(n / d);
  return 2 * (n - q * d) >= d ? q + 1 : q;
};
const toTick = (milli: number): number => Math.round(milli / TICK) * TICK;

function* simulate(seed: number | string, u: Universe, plan: EventPlan, days: readonly TradingDay[]): Generator<DayBars> {
  const n = u.instruments.length, nd = days.length;
  const rng = createPrng(seed, 'prices');
  const symbols = u.instruments.map((i) => i.symbol as string);
  const lastClose = Int32Array.from(u.initialClose);
  const latent = new Float64Array(n), anchor = new Float64Array(n);
  for (let s = 0; s < n; s++) latent[s] = anchor[s] = Math.log(u.initialClose[s]! / 1000);
  const LOG_FLOOR = Math.log(0.2), LOG_CAP = Math.log(10); // relative to the start price; see syntheticEvents
  const band = new Int32Array(SYNTHETIC_BOARDS.length * 2);
  const exCash = new Float64Array(n);

  for (let d = 0; d < nd; d++) {
    const day = days[d]!;
    // The band can change with the date (ChiNext 2020-08-24, main-board ST 2026-07-06): look it up per day.
    SYNTHETIC_BOARDS.forEach((b, bi) => { band[bi * 2] = dailyLimitBand(b, false, day); band[bi * 2 + 1] = dailyLimitBand(b, true, day); });
    for (const [s, cash] of plan.dividendsByDay.get(d) ?? []) exCash[s] = cash;
    let m = 0.0002 + 0.011 * rng.normal();
    const shock = rng.next(); // rare market-wide sell-offs and rallies: the days whole boards hit their limits
    if (shock < 0.006) m -= 0.04 + 0.04 * rng.next();
    else if (shock < 0.012) m += 0.035 + 0.04 * rng.next();

    const out: DayBars = { day, symbols: [], open: [], high: [], low: [], close: [], volume: [], amountFen: [], preClose: [], isSt: [] };
    for (let s = 0; s < n; s++) {
      let ref = lastClose[s]!;
      const cash = exCash[s]!;
      if (cash > 0) {
        // Ex-dividend reference price = round_half_up(prev close − cash, tick) (ashare-market-rules.md §7.2).
        const exRef = divRound(ref * 1000 - cash, TICK * 1000, 'halfUp') * TICK;
        if (exRef <= 0) throw new Error(`synthetic dividend ${cash} µCNY exceeds the close ${ref} of ${symbols[s]} on ${day}`);
        latent[s]! += Math.log(exRef / ref);
        ref = exRef;
        exCash[s] = 0;
      }
      const sigma = u.sigma[s]!;
      let x = latent[s]!;
      let r = u.beta[s]! * m + sigma * rng.normal() - KAPPA * (x - anchor[s]!);
      const j = rng.next();
      if (j < 0.004) r += (j < 0.0022 ? 1 : -1) * (0.06 + 0.15 * rng.next()); // news jump
      x = Math.min(anchor[s]! + LOG_CAP, Math.max(anchor[s]! + LOG_FLOOR, x + r));
      latent[s] = x;
      // Suspended: the fair price keeps moving (so resumption can gap), but no bar is printed.
      if (plan.suspended[s * nd + d] === 1) continue;
      // The Beijing Stock Exchange opened on 2021-11-15: its codes print no bar before (ref §2.1).
      if (u.boardIndex[s] === BSE_BOARD_INDEX && day < BSE_FIRST_DAY) continue;

      const bp = band[u.boardIndex[s]! * 2 + u.isSt[s]!]!;
      const up = halfUp(ref * (10_000 + bp), 10_000 * TICK) * TICK;
      const down = halfUp(ref * (10_000 - bp), 10_000 * TICK) * TICK;
      const target = Math.exp(x) * 1000;
      let close: number, sealed = false;
      if (target >= up) { close = up; sealed = x - Math.log(up / 1000) > SEAL_OVERSHOOT; }
      else if (target <= down) { close = down; sealed = Math.log(down / 1000) - x > SEAL_OVERSHOOT; }
      else close = Math.min(up, Math.max(down, toTick(target)));
      let open = close, high = close, low = close;
      if (!sealed) {
        const gap = 0.4 * (x - Math.log(ref / 1000)) + 0.3 * sigma * rng.normal();
        open = Math.min(up, Math.max(down, toTick(ref * Math.exp(gap))));
        const top = Math.max(open, close), bottom = Math.min(open, close);
        high = Math.min(up, Math.max(top, toTick(top * (1 - 0.5 * sigma * Math.log(1 - rng.next())))));
        low = Math.max(down, Math.min(bottom, toTick(bottom * (1 + 0.5 * sigma * Math.log(1 - rng.next())))));
      }
      const move = Math.abs(close - ref) / ref;
      let vol = u.floatShares[s]! * u.turnover[s]! * Math.exp(0.35 * rng.normal()) * (1 + 6 * move);
      if (sealed) vol *= 0.12; // a sealed board trades little: the queue at the limit rarely fills
      const volume = Math.max(100, Math.round(vol / 100) * 100);
      out.symbols.push(symbols[s]!);
      out.open.push(open);
      out.high.push(high);
      out.low.push(low);
      out.close.push(close);
      out.volume.push(volume);
      // Turnover at the mean of O/H/L/C: always between volume × low and volume × high.
      out.amountFen.push(Math.round((volume * (open + high + low + close)) / 40));
      out.preClose.push(ref);
      out.isSt.push(u.isSt[s] === 1 ? 1 : 0);
      lastClose[s] = close;
    }
    yield out;
  }
}

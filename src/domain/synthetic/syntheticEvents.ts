import type { CashDividend } from '../bars.js';
import type { TradingDay } from '../tradingDay.js';
import { createPrng } from './prng.js';
import type { Universe } from './syntheticUniverse.js';

/**
 * Corporate events planned before any price is drawn, so the list of dividends is known up front (as
 * real dividends are announced before their ex-date) while the bars themselves stream day by day.
 */
export interface EventPlan {
  /** 1 where symbol `s` is suspended on day `d`, at index `s * days + d` (no bar that day). */
  readonly suspended: Uint8Array;
  readonly dividends: readonly CashDividend[];
  /** Day index → [symbol index, cash per share in 0.000001 CNY] pairs of that ex-date. */
  readonly dividendsByDay: ReadonlyMap<number, readonly (readonly [number, number])[]>;
}

/** Mean trading days between the starts of two suspensions of one symbol. */
const SUSPENSION_EVERY = 700;
/** Trading days per dividend cycle; at most one cash dividend per symbol per cycle. */
const DIVIDEND_CYCLE = 245;
const DIVIDEND_PROBABILITY = 0.45;

export function planEvents(seed: number | string, u: Universe, days: readonly TradingDay[]): EventPlan {
  const n = u.instruments.length;
  const nd = days.length;
  const rng = createPrng(seed, 'events');
  const suspended = new Uint8Array(n * nd);
  for (let s = 0; s < n; s++) {
    // Suspension starts form a Poisson process: geometric gaps; lengths mostly short, a few weeks long.
    let d = Math.ceil(-Math.log(1 - rng.next()) * SUSPENSION_EVERY);
    while (d < nd) {
      const len = 1 + Math.min(60, Math.floor(-Math.log(1 - rng.next()) * 5));
      for (let k = d; k < Math.min(nd, d + len); k++) suspended[s * nd + k] = 1;
      d += len + Math.ceil(-Math.log(1 - rng.next()) * SUSPENSION_EVERY);
    }
  }

  const dividends: CashDividend[] = [];
  const dividendsByDay = new Map<number, [number, number][]>();
  for (let s = 0; s < n; s++) {
    let last = -DIVIDEND_CYCLE;
    for (let c0 = 0; c0 < nd; c0 += DIVIDEND_CYCLE) {
      if (!rng.chance(DIVIDEND_PROBABILITY)) continue;
      let d = Math.max(1, c0 + rng.int(0, DIVIDEND_CYCLE - 1));
      while (d < nd && suspended[s * nd + d] === 1) d++; // an ex-date falls on a day the stock trades
      if (d >= nd || d - last < 20) continue; // a suspension pushed it next to the previous one: drop it
      last = d;
      // Cash of 0.5–3% of the initial price, in 0.0001 CNY steps (as in "10派1.234"). The price path is
      // floored at 20% of the initial price, so the cash always stays well below the previous close.
      const cashMicro = Math.max(100, Math.round((u.initialClose[s]! / 1000) * (0.005 + rng.next() * 0.025) * 1e4) * 100);
      dividends.push({ symbol: u.instruments[s]!.symbol, exDay: days[d]!, cashPerShareMicro: cashMicro });
      let a = dividendsByDay.get(d);
      if (!a) dividendsByDay.set(d, (a = []));
      a.push([s, cashMicro]);
    }
  }
  dividends.sort((x, y) => (x.exDay < y.exDay ? -1 : x.exDay > y.exDay ? 1 : x.symbol < y.symbol ? -1 : 1));
  return { suspended, dividends, dividendsByDay };
}

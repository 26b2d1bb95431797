import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import type { Board } from '../market/board.js';
import type { SecuritySymbol } from '../symbol.js';
import { addCalendarDays, weekdayOf, type TradingDay } from '../tradingDay.js';
import { createPrng } from './prng.js';

/** Stock boards the synthetic market draws from, in the order of `BOARD_INDEX`. */
export const SYNTHETIC_BOARDS = ['SSE_MAIN', 'SZSE_MAIN', 'CHINEXT', 'STAR', 'BSE'] as const satisfies readonly Board[];
export type SyntheticBoard = (typeof SYNTHETIC_BOARDS)[number];

interface BoardSpec {
  readonly prefixes: readonly string[];
  readonly suffix: 'SH' | 'SZ' | 'BJ';
  /** Share of the universe; BSE is kept to "a few" as in the real market. */
  readonly weight: number;
  /** Initial price range, CNY, drawn log-uniformly. */
  readonly price: readonly [number, number];
  /** Daily idiosyncratic volatility range (growth boards swing more). */
  readonly vol: readonly [number, number];
}

// Prefixes per ashare-market-rules.md §1.1 (stock segments only; 689 CDRs and legacy BSE codes left out).
const SPECS: Readonly<Record<SyntheticBoard, BoardSpec>> = {
  SSE_MAIN: { prefixes: ['600', '601', '603', '605'], suffix: 'SH', weight: 0.38, price: [3, 60], vol: [0.012, 0.026] },
  SZSE_MAIN: { prefixes: ['000', '001', '002', '003'], suffix: 'SZ', weight: 0.32, price: [3, 60], vol: [0.013, 0.028] },
  CHINEXT: { prefixes: ['300', '301'], suffix: 'SZ', weight: 0.17, price: [5, 80], vol: [0.018, 0.035] },
  STAR: { prefixes: ['688'], suffix: 'SH', weight: 0.1, price: [15, 150], vol: [0.02, 0.038] },
  BSE: { prefixes: ['920'], suffix: 'BJ', weight: 0.03, price: [4, 40], vol: [0.022, 0.04] },
};

/** Most symbols a universe can hold: the code space of the smallest segments fills up beyond this. */
export const MAX_SYNTHETIC_SYMBOLS = 10_000;

export interface SyntheticInstrument {
  readonly symbol: SecuritySymbol;
  readonly board: SyntheticBoard;
  readonly name: string;
  /** A listing date before the first generated day, so no generated day is an IPO no-limit day (§2.2). */
  readonly listDay: TradingDay;
  readonly isSt: boolean;
}

/** Per-symbol parameters in struct-of-arrays form (index = position in `instruments`, symbols ascending). */
export interface Universe {
  readonly instruments: readonly SyntheticInstrument[];
  readonly boardIndex: Uint8Array;
  readonly isSt: Uint8Array;
  /** Close before the first generated day, 0.001 CNY on the 0.01 tick. */
  readonly initialClose: Int32Array;
  readonly sigma: Float64Array;
  readonly beta: Float64Array;
  /** Tradable float, shares; with `turnover` it sets the typical daily volume. */
  readonly floatShares: Float64Array;
  readonly turnover: Float64Array;
}

/** Whether `day` trades: the calendar inside its table, plain weekdays outside it. */
export function isOpenDay(calendar: TradingCalendar, day: TradingDay): boolean {
  if (day >= calendar.firstDay && day <= calendar.lastDay) return calendar.isTradingDay(day);
  return weekdayOf(day) <= 5;
}

/** `count` trading days from `start` (inclusive when it trades); past the calendar's end, weekdays. */
export function syntheticTradingDays(calendar: TradingCalendar, start: TradingDay, count: number): TradingDay[] {
  const out: TradingDay[] = [];
  for (let d = start; out.length < count; d = addCalendarDays(d, 1)) if (isOpenDay(calendar, d)) out.push(d);
  return out;
}

function boardCounts(n: number): number[] {
  const counts = SYNTHETIC_BOARDS.map((b) => Math.floor(n * SPECS[b].weight));
  if (n >= 10 && counts[4] === 0) counts[4] = 1; // keep at least one BSE code once the universe is non-trivial
  counts[0]! += n - counts.reduce((a, c) => a + c, 0);
  return counts;
}

/** Draws a deterministic universe: unique codes by board mix, ST flags and price/volume parameters. */
export function drawUniverse(seed: number | string, n: number, firstDay: TradingDay, calendar: TradingCalendar): Universe {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SYNTHETIC_SYMBOLS) {
    throw new RangeError(`symbols must be an integer in 1…${MAX_SYNTHETIC_SYMBOLS} (got ${n})`);
  }
  const rng = createPrng(seed, 'universe');
  const seen = new Set<string>();
  const drawn: { symbol: string; board: number }[] = [];
  boardCounts(n).forEach((count, bi) => {
    const spec = SPECS[SYNTHETIC_BOARDS[bi]!];
    while (count > 0) {
      const code = spec.prefixes[rng.int(0, spec.prefixes.length - 1)]! + String(rng.int(0, 999)).padStart(3, '0');
      const symbol = `${code}.${spec.suffix}`;
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      drawn.push({ symbol, board: bi });
      count--;
    }
  });
  drawn.sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0));

  // Risk-warning stocks on the main boards, where ST has its own (5%) band until 2026-07-03.
  const mainIdx = drawn.flatMap((d, i) => (d.board <= 1 ? [i] : []));
  const stCount = n >= 5 ? Math.max(1, Math.round(mainIdx.length * 0.04)) : 0;
  const st = new Uint8Array(n);
  for (let k = 0; k < stCount && mainIdx.length > 0; k++) st[mainIdx.splice(rng.int(0, mainIdx.length - 1), 1)[0]!] = 1;

  const u: Universe = {
    instruments: [],
    boardIndex: new Uint8Array(n), isSt: st, initialClose: new Int32Array(n), sigma: new Float64Array(n),
    beta: new Float64Array(n), floatShares: new Float64Array(n), turnover: new Float64Array(n),
  };
  const logUniform = (lo: number, hi: number): number => Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
  const instruments: SyntheticInstrument[] = [];
  drawn.forEach((d, i) => {
    const board = SYNTHETIC_BOARDS[d.board]!;
    const spec = SPECS[board];
    u.boardIndex[i] = d.board;
    u.initialClose[i] = Math.round(logUniform(spec.price[0], spec.price[1]) * 100) * 10;
    u.sigma[i] = spec.vol[0] + rng.next() * (spec.vol[1] - spec.vol[0]);
    u.beta[i] = 0.6 + rng.next() * 0.8;
    u.floatShares[i] = logUniform(2e9, 8e10) / (u.initialClose[i]! / 1000); // float market cap 2–80 bn CNY
    u.turnover[i] = logUniform(0.004, 0.03);
    let listDay = addCalendarDays(firstDay, -rng.int(200, 4000));
    while (!isOpenDay(calendar, listDay)) listDay = addCalendarDays(listDay, -1);
    // BSE listings start when the exchange opened (2021-11-15, a trading day).
    if (board === 'BSE' && listDay < '2021-11-15') listDay = '2021-11-15' as TradingDay;
    instruments.push(Object.freeze({
      symbol: d.symbol as SecuritySymbol, board, name: `${st[i] ? 'ST ' : ''}SYN${d.symbol.slice(0, 6)}`, listDay, isSt: st[i] === 1,
    }));
  });
  return { ...u, instruments };
}

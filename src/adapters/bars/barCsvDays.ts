import type { DayBars } from '../../domain/bars.js';

/*
 * A day's rows as the bar reader collects them (columns plus each row's line), and how they become
 * `DayBars`: symbols ascending, with the earliest duplicate (symbol, date) found on the way.
 */

export interface DayBuilder {
  readonly day: string;
  symbols: string[]; open: number[]; high: number[]; low: number[]; close: number[];
  volume: number[]; amountFen: number[]; preClose: (number | null)[]; isSt: (0 | 1)[]; lines: number[];
}
export const newBuilder = (day: string): DayBuilder => ({
  day, symbols: [], open: [], high: [], low: [], close: [], volume: [], amountFen: [], preClose: [], isSt: [], lines: [],
});

export type Dup = { line: number; first: number; symbol: string; day: string };
export const dupProblem = (d: Dup) => ({ line: d.line, problem: `duplicate bar for ${d.symbol} on ${d.day} (first at line ${d.first})` });

/** A day's rows as DayBars, symbols ascending, with its earliest duplicate (symbol, date) if any. */
export function dayOf(b: DayBuilder): { day: DayBars; dup: Dup | undefined } {
  let dup: Dup | undefined;
  let sorted = true;
  for (let i = 1; i < b.symbols.length && sorted; i++) if (b.symbols[i]! <= b.symbols[i - 1]!) sorted = false;
  if (!sorted) {
    const s = b.symbols, l = b.lines;
    const idx = s.map((_, i) => i).sort((x, y) => (s[x]! < s[y]! ? -1 : s[x]! > s[y]! ? 1 : l[x]! - l[y]!));
    const p = <T>(a: T[]): T[] => (a.length === 0 ? a : idx.map((i) => a[i]!)); // empty: a scan's unkept column
    b = { day: b.day, symbols: p(b.symbols), open: p(b.open), high: p(b.high), low: p(b.low), close: p(b.close),
      volume: p(b.volume), amountFen: p(b.amountFen), preClose: p(b.preClose), isSt: p(b.isSt), lines: p(b.lines) };
    for (let i = 1; i < b.symbols.length; i++) {
      if (b.symbols[i] === b.symbols[i - 1] && (dup === undefined || b.lines[i]! < dup.line)) {
        dup = { line: b.lines[i]!, first: b.lines[i - 1]!, symbol: b.symbols[i]!, day: b.day };
      }
    }
  }
  return {
    day: { day: b.day, symbols: b.symbols, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, amountFen: b.amountFen, preClose: b.preClose, isSt: b.isSt },
    dup,
  };
}

import type { DataOf } from './events/domainEvent.js';
import type { SecuritySymbol } from './symbol.js';
import type { TradingDay } from './tradingDay.js';

/**
 * All bars of one trading day in columnar layout (the payload of `BarsClosed`): arrays aligned by
 * index, symbols ascending. Prices 0.001 CNY, volume shares, amount fen; `preClose` null when unknown.
 */
export type DayBars = DataOf<'BarsClosed'>;

/** One bar in row form, for readers and writers of files. */
export interface Bar {
  readonly symbol: SecuritySymbol;
  readonly day: TradingDay;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly amountFen: number;
  readonly preClose: number | null;
  readonly isSt: 0 | 1;
}

/** A cash dividend: on `exDay` holders of record the evening before receive `cashPerShareMicro` (0.000001 CNY) per share. */
export interface CashDividend {
  readonly symbol: SecuritySymbol;
  readonly exDay: TradingDay;
  readonly cashPerShareMicro: number;
}

/** Groups rows into per-day columnar batches, days ascending and symbols ascending within a day. */
export function toDayBars(rows: readonly Bar[]): DayBars[] {
  const byDay = new Map<string, Bar[]>();
  for (const r of rows) {
    let a = byDay.get(r.day);
    if (!a) byDay.set(r.day, (a = []));
    a.push(r);
  }
  const days = [...byDay.keys()].sort();
  return days.map((d) => {
    const rs = byDay.get(d)!.slice().sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0));
    return {
      day: d,
      symbols: rs.map((r) => r.symbol),
      open: rs.map((r) => r.open),
      high: rs.map((r) => r.high),
      low: rs.map((r) => r.low),
      close: rs.map((r) => r.close),
      volume: rs.map((r) => r.volume),
      amountFen: rs.map((r) => r.amountFen),
      preClose: rs.map((r) => r.preClose),
      isSt: rs.map((r) => r.isSt),
    };
  });
}

/** Row view of bar `i` of a day batch. */
export function barAt(b: DayBars, i: number): Bar {
  return {
    symbol: b.symbols[i] as SecuritySymbol, day: b.day as TradingDay, open: b.open[i]!, high: b.high[i]!, low: b.low[i]!,
    close: b.close[i]!, volume: b.volume[i]!, amountFen: b.amountFen[i]!, preClose: b.preClose[i] ?? null,
    isSt: b.isSt[i] ?? 0,
  };
}

const indexCache = new WeakMap<DayBars, Map<string, number>>();

/** Index of `symbol` in a day batch, or -1 when it did not trade (suspended / not listed). Memoised per batch. */
export function indexOfSymbol(b: DayBars, symbol: string): number {
  let m = indexCache.get(b);
  if (!m) {
    m = new Map();
    for (let i = 0; i < b.symbols.length; i++) m.set(b.symbols[i]!, i);
    indexCache.set(b, m);
  }
  return m.get(symbol) ?? -1;
}

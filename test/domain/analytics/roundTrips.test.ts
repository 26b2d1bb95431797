import { describe, expect, it } from 'vitest';
import type { TradeFill } from '../../../src/domain/analytics/roundTrips.js';
import { roundTrips, tradeStats } from '../../../src/domain/analytics/roundTrips.js';

let n = 0;
const fill = (day: string, symbol: string, side: 'buy' | 'sell', qty: number, priceMilli: number, feesFen: number): TradeFill =>
  ({ day, fillId: `f${++n}`, orderId: `o${n}`, symbol, side, qty, priceMilli, notionalFen: (qty * priceMilli) / 10, feesFen });

describe('round trips: FIFO per symbol, net of fees', () => {
  // A: buy 1,000 @ 10 (10,000.00 CNY, fees 5.00), buy 500 @ 12 (6,000.00, fees 3.00),
  //    sell 1,200 @ 11 (13,200.00, fees 12.00), sell 300 @ 13 (3,900.00, fees 4.00).
  // Trip 1: 1,000 from lot 1: proceeds 13,200 × 1000/1200 = 11,000.00, sell fees 10.00;
  //         pnl = 1,100,000 − 1,000,000 − 500 − 1,000 = 98,500 fen.
  // Trip 2: 200 from lot 2: cost 6,000 × 200/500 = 2,400.00, buy fees 1.20; the sell's remainder
  //         2,200.00 and 2.00 fees; pnl = 220,000 − 240,000 − 120 − 200 = −20,320 fen.
  // Trip 3: the last 300 of lot 2: cost 360,000, fees 180; pnl = 390,000 − 360,000 − 180 − 400 = 29,420.
  // Net 107,600 = proceeds 1,710,000 − cost 1,600,000 − fees 2,400.
  const fills = [
    fill('2024-01-02', '600000.SH', 'buy', 1000, 10_000, 500),
    fill('2024-01-02', '000001.SZ', 'buy', 100, 5_000, 100),
    fill('2024-01-03', '600000.SH', 'buy', 500, 12_000, 300),
    fill('2024-01-04', '600000.SH', 'sell', 1200, 11_000, 1200),
    fill('2024-01-05', '600000.SH', 'sell', 300, 13_000, 400),
  ];
  const r = roundTrips(fills);

  it('splits a sell across lots first in, first out', () => {
    expect(r.roundTrips.map((t) => [t.qty, t.entryDay, t.exitDay, t.pnlFen])).toEqual([
      [1000, '2024-01-02', '2024-01-04', 98_500],
      [200, '2024-01-03', '2024-01-04', -20_320],
      [300, '2024-01-03', '2024-01-05', 29_420],
    ]);
    expect(r.roundTrips[0]!.returnPct).toBeCloseTo(98_500 / 1_000_500, 12);
    expect(r.roundTrips.reduce((a, t) => a + t.pnlFen, 0)).toBe(107_600);
    expect(r.openQty).toBe(100);
    expect(r.unmatchedSellQty).toBe(0);
  });

  it('win rate 2/3, profit factor (98,500 + 29,420) / 20,320 = 6.29528', () => {
    const s = tradeStats(r.roundTrips);
    expect(s).toMatchObject({ roundTrips: 3, wins: 2, grossProfitFen: 127_920, grossLossFen: 20_320, netPnlFen: 107_600 });
    expect(s.winRate).toBeCloseTo(2 / 3, 12);
    expect(s.profitFactor).toBeCloseTo(6.29528, 5);
  });

  it('no trips: null rates; no losses: null profit factor', () => {
    expect(tradeStats([])).toMatchObject({ winRate: null, profitFactor: null });
    expect(tradeStats(r.roundTrips.slice(0, 1)).profitFactor).toBeNull();
  });

  it('bonus shares join the lots at zero cost (10-for-10: 1,000 @ 10 then 2,000 sold @ 5.5 makes 1,000.00)', () => {
    const g = roundTrips([
      fill('2024-05-06', '600519.SH', 'buy', 1000, 10_000, 0),
      { day: '2024-06-03', symbol: '600519.SH', qty: 1000 },
      fill('2024-06-04', '600519.SH', 'sell', 2000, 5_500, 0),
    ]);
    expect(g.roundTrips.map((t) => [t.qty, t.pnlFen])).toEqual([[2000, 100_000]]);
  });

  it('a sell with nothing to match is counted, not thrown', () => {
    expect(roundTrips([fill('2024-01-02', '600000.SH', 'sell', 100, 10_000, 0)]).unmatchedSellQty).toBe(100);
  });
});

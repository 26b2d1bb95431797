import type { TradeFill } from '../../../src/domain/index.js';
import { analysePerformance } from '../../../src/domain/index.js';
import type { ReportInput } from '../../../src/adapters/report/htmlReport.js';
import { NO_RISK } from '../../../src/adapters/report/reportRisk.js';

/** A small two-symbol, ~3-month run for report tests (hand-made, deterministic). */
export function reportFixture(): ReportInput {
  const days: string[] = [];
  for (let d = new Date(Date.UTC(2024, 0, 2)); days.length < 60; d = new Date(d.getTime() + 86_400_000)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  const wave = (i: number, k: number) => Math.round(10_000 * (1 + 0.1 * Math.sin(i / k)));
  const bars = days.map((day, i) => ({
    day, symbols: ['600000.SH', '000001.SZ'], close: [wave(i, 7), wave(i + 3, 11)], preClose: [i ? wave(i - 1, 7) : 10_000, i ? wave(i + 2, 11) : null],
  }));
  const fill = (i: number, side: 'buy' | 'sell', qty: number): TradeFill => ({
    day: days[i]!, fillId: `f${i}`, orderId: `o${i}`, symbol: '600000.SH', side, qty, priceMilli: wave(i, 7), notionalFen: (qty * wave(i, 7)) / 10, feesFen: 500,
  });
  const fills = [fill(3, 'buy', 5000), fill(20, 'sell', 5000), fill(25, 'buy', 4000), fill(40, 'sell', 2000), fill(50, 'sell', 2000)];
  const held = (i: number) => (i >= 3 && i < 20 ? 5000 : i >= 25 && i < 40 ? 4000 : i >= 40 && i < 50 ? 2000 : 0);
  let cash = 10_000_000;
  const curve = days.map((day, i) => {
    for (const f of fills.filter((x) => x.day === day)) cash += (f.side === 'buy' ? -f.notionalFen : f.notionalFen) - f.feesFen;
    const pv = (held(i) * wave(i, 7)) / 10;
    return { day, equityFen: cash + pv, positionsValueFen: pv, positions: held(i) ? 1 : 0 };
  });
  return {
    title: 'Fixture <run> & "quotes"', journalPath: '/tmp/fixture.sqlite', projectionHash: 'a'.repeat(64), headHash: 'b'.repeat(64),
    symbols: 2, days: days.length, events: 500, initialEquityFen: 10_000_000, finalEquityFen: curve[curve.length - 1]!.equityFen, feesFen: 2500,
    performance: analysePerformance({ initialEquityFen: 10_000_000, curve, bars, trades: fills }), fills, risk: NO_RISK,
  };
}

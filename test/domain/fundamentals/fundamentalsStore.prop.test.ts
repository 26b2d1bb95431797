import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainEvent } from '../../../src/domain/events/domainEvent.js';
import {
  emptyFundamentals, evolveFundamentals, fundamentalsOn, fundamentalsView,
} from '../../../src/domain/fundamentals/index.js';
import { addCalendarDays, asTradingDay } from '../../../src/domain/tradingDay.js';

/**
 * Invariant defended: no look-ahead. For any journal of reports (any order, restatements, several
 * symbols) and any query day, nothing returned was announced on or after that day, and the answer
 * (reports and ratios) is the same as if the journal held only what was announced before the day.
 */
const SYMBOLS = ['600519.SH', '000001.SZ'] as const;
const QUARTER_ENDS = ['03-31', '06-30', '09-30', '12-31'] as const;
const BASE = asTradingDay('2020-01-01');
const optInt = (min: number, max: number) => fc.option(fc.integer({ min, max }), { nil: undefined });

const arbReport = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  year: fc.integer({ min: 2020, max: 2024 }),
  quarter: fc.constantFrom(...QUARTER_ENDS),
  lag: fc.integer({ min: 0, max: 400 }),
  values: fc.record({
    epsMicro: optInt(-2_000_000, 5_000_000), bvpsMicro: optInt(-1_000_000, 50_000_000),
    netProfitFen: optInt(-1e12, 1e12), revenueFen: optInt(0, 5e12), equityFen: optInt(-1e12, 5e12),
    totalShares: optInt(0, 2e10), dividendPerShareMicro: optInt(0, 3_000_000),
  }),
}).map(({ symbol, year, quarter, lag, values }) => {
  const period = `${year}-${quarter}`;
  const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return DomainEvent.parse({
    type: 'FundamentalsReported',
    data: { symbol, period, announcedDay: addCalendarDays(asTradingDay(period), lag), values: clean },
  });
});
const arbDay = fc.integer({ min: 0, max: 7 * 366 }).map((n) => addCalendarDays(BASE, n));
const announced = (e: DomainEvent): string => (e.type === 'FundamentalsReported' ? e.data.announcedDay : '');
/** A journal and a query day; half the time the day is an announcement day or the day after (the edge). */
const arbCase = fc.array(arbReport, { maxLength: 40 }).chain((events) => fc.tuple(
  fc.constant(events),
  events.length === 0 ? arbDay : fc.oneof(arbDay, fc.tuple(fc.nat(events.length - 1), fc.integer({ min: 0, max: 1 }))
    .map(([i, k]) => addCalendarDays(asTradingDay(announced(events[i]!)), k))),
));

describe('fundamentalsOn: no look-ahead (property)', () => {
  it('no returned report has announcedDay ≥ the query day; one per period, latest period first', () => {
    fc.assert(fc.property(arbCase, fc.constantFrom(...SYMBOLS), ([events, day], symbol) => {
      const reports = fundamentalsOn(events.reduce(evolveFundamentals, emptyFundamentals), symbol, day);
      for (const r of reports) expect(r.announcedDay < day).toBe(true);
      const periods = reports.map((r) => r.period);
      expect(periods).toEqual([...new Set(periods)].sort().reverse());
    }), { numRuns: 500 });
  });

  it('the answer on a day equals the answer from the journal cut to what was announced before that day', () => {
    fc.assert(fc.property(arbCase, fc.integer({ min: 1, max: 3_000_000 }), ([events, day], price) => {
      const full = events.reduce(evolveFundamentals, emptyFundamentals);
      const known = events.filter((e) => announced(e) < day).reduce(evolveFundamentals, emptyFundamentals);
      for (const symbol of SYMBOLS) {
        expect(fundamentalsOn(full, symbol, day)).toEqual(fundamentalsOn(known, symbol, day));
        const ratios = fundamentalsView(full)(symbol, day, price);
        expect(ratios).toEqual(fundamentalsView(known)(symbol, day, price));
        for (const v of Object.values(ratios ?? {})) expect(v === null || Number.isFinite(v)).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

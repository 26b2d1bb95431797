import { describe, expect, it } from 'vitest';
import { createHolidayCalendar } from '../../../src/domain/calendar/holidayCalendar.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const d = (s: string): TradingDay => s as TradingDay;
// 2026 weekday closures per ashare-market-rules.md §10.2 (first quarter only).
const cal = createHolidayCalendar(
  ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'].map(d),
  d('2026-01-01'), d('2026-03-31'),
);

describe('createHolidayCalendar', () => {
  it('Spring Festival 2026: next of 2026-02-13 is 2026-02-24, previous of 2026-02-24 is 2026-02-13', () => {
    expect(cal.next(d('2026-02-13'))).toBe('2026-02-24');
    expect(cal.previous(d('2026-02-24'))).toBe('2026-02-13');
    expect(cal.next(d('2026-02-18'))).toBe('2026-02-24'); // from inside the closure
    expect(cal.previous(d('2026-02-21'))).toBe('2026-02-13'); // from a weekend inside it
  });
  it('weekends never trade, closures do not, other weekdays do', () => {
    expect(cal.isTradingDay(d('2026-01-05'))).toBe(true);
    expect(cal.isTradingDay(d('2026-01-02'))).toBe(false);
    expect(cal.isTradingDay(d('2026-02-14'))).toBe(false); // a Saturday (make-up working day elsewhere, closed here)
    expect(cal.isTradingDay(d('2026-02-28'))).toBe(false);
  });
  it('next / previous are strict and skip weekends', () => {
    expect(cal.next(d('2026-01-09'))).toBe('2026-01-12');
    expect(cal.next(d('2026-01-05'))).toBe('2026-01-06');
    expect(cal.previous(d('2026-01-06'))).toBe('2026-01-05');
  });
  it('range is inclusive and ascending', () => {
    expect(cal.range(d('2026-02-12'), d('2026-02-25'))).toEqual(['2026-02-12', '2026-02-13', '2026-02-24', '2026-02-25']);
    expect(cal.range(d('2026-02-16'), d('2026-02-20'))).toEqual([]);
    expect(cal.range(d('2026-03-02'), d('2026-03-01'))).toEqual([]);
    expect(cal.range(d('2026-01-01'), d('2026-03-31'))).toHaveLength(64 - 8); // 64 weekdays in Q1 2026 minus 8 weekday closures
  });
  it('refuses questions outside its table instead of guessing', () => {
    expect(() => cal.isTradingDay(d('2025-12-31'))).toThrow(/outside the holiday table/);
    expect(() => cal.next(d('2026-03-31'))).toThrow(/no trading day after/);
    expect(() => cal.previous(d('2026-01-05'))).toThrow(/no trading day before/);
    expect(() => cal.next(d('2026-13-01'))).toThrow(/not a date/);
  });
  it('rejects weekend, duplicate and out-of-range closures', () => {
    expect(() => createHolidayCalendar([d('2026-02-14')], d('2026-01-01'), d('2026-12-31'))).toThrow(/weekend/);
    expect(() => createHolidayCalendar([d('2026-02-16'), d('2026-02-16')], d('2026-01-01'), d('2026-12-31'))).toThrow(/twice/);
    expect(() => createHolidayCalendar([d('2027-01-01')], d('2026-01-01'), d('2026-12-31'))).toThrow(/outside/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatExchangeTime, parseExchangeDateTime } from '../../src/domain/tradingDay.js';

describe('exchange time as text (Asia/Shanghai, UTC+08:00 all year)', () => {
  const T = Date.parse('2024-03-01T09:30:00+08:00');

  it('formats with the fixed offset, with or without milliseconds', () => {
    expect(formatExchangeTime(T)).toBe('2024-03-01T09:30:00+08:00');
    expect(formatExchangeTime(T + 250, true)).toBe('2024-03-01T09:30:00.250+08:00');
    expect(formatExchangeTime(Date.UTC(2024, 1, 29, 16, 5, 7))).toBe('2024-03-01T00:05:07+08:00'); // the exchange's date, not UTC's
  });

  it('parses offsets, Z, none (exchange time), a space for T, and no seconds; refuses impossible dates and times', () => {
    for (const s of ['2024-03-01T09:30:00+08:00', '2024-03-01T01:30:00Z', '2024-03-01 09:30:00', '2024-03-01T09:30', '2024-03-01T09:30:00+0800', '2024-03-01T10:30:00+09:00']) {
      expect(parseExchangeDateTime(s), s).toBe(T);
    }
    for (const s of ['2024-02-30T09:30:00', '2023-02-29T09:30', '2024-03-01T24:00', '2024-03-01T09:60', '2024-03-01', 'soon']) {
      expect(parseExchangeDateTime(s), s).toBeNull();
    }
  });

  it('reads back what it writes (to the millisecond)', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
      expect(parseExchangeDateTime(formatExchangeTime(ms, true))).toBe(ms);
    }));
  });
});

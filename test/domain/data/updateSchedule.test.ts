import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { nextUpdateAt, parseUpdateTime } from '../../../src/domain/data/updateSchedule.js';
import { loadMarketRules } from '../../../src/adapters/market/index.js';

const r = loadMarketRules('config/market');
if (!isRight(r)) throw new Error('config/market');
const cal = r.right.calendar;
const at = (iso: string) => Date.parse(iso); // the tests speak UTC; Beijing is UTC+8
const T1730 = { hh: 17, mm: 30 };

describe('daily update schedule (Asia/Shanghai)', () => {
  it('refuses a time inside trading hours and accepts one after the close', () => {
    expect(parseUpdateTime('10:00')).toMatchObject({ ok: false });
    expect(parseUpdateTime('15:30')).toMatchObject({ ok: false });
    expect(parseUpdateTime('09:15')).toMatchObject({ ok: false });
    expect(parseUpdateTime('17:30')).toEqual({ ok: true, hh: 17, mm: 30 });
    expect(parseUpdateTime('25:00')).toMatchObject({ ok: false });
  });

  it('runs later the same trading day, else the next trading day', () => {
    // Friday 2025-03-07 16:00 Beijing = 08:00Z → same day 17:30 Beijing = 09:30Z.
    expect(nextUpdateAt(at('2025-03-07T08:00:00Z'), T1730, cal)).toBe(at('2025-03-07T09:30:00Z'));
    // Friday 18:00 Beijing → Monday 2025-03-10 17:30 Beijing.
    expect(nextUpdateAt(at('2025-03-07T10:00:00Z'), T1730, cal)).toBe(at('2025-03-10T09:30:00Z'));
  });

  it('skips exchange holidays: from the 2026 Spring Festival eve to 2026-02-24', () => {
    // Friday 2026-02-13 20:00 Beijing; the market is closed 2026-02-16 … 2026-02-23.
    expect(nextUpdateAt(at('2026-02-13T12:00:00Z'), T1730, cal)).toBe(at('2026-02-24T09:30:00Z'));
  });

  it('an early-morning time runs before the open of the next trading day', () => {
    // Tuesday 2025-03-11 05:00 Beijing with an 06:00 schedule → the same morning.
    expect(nextUpdateAt(at('2025-03-10T21:00:00Z'), { hh: 6, mm: 0 }, cal)).toBe(at('2025-03-10T22:00:00Z'));
  });
});

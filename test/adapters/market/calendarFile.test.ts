import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  calendarFromTable, loadHolidayCalendar, loadHolidayTable, parseHolidayTable,
} from '../../../src/adapters/market/calendarFile.js';
import { addCalendarDays, type TradingDay } from '../../../src/domain/tradingDay.js';

const d = (s: string): TradingDay => s as TradingDay;
const table = (() => {
  const r = loadHolidayTable();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
})();
const cal = calendarFromTable(table);

describe('config/market/holidays.yaml', () => {
  it('covers 1990-12-19 (the exchange calendar\'s first day) … 2026-12-31, every year naming its source', () => {
    expect([table.firstDay, table.lastDay]).toEqual(['1990-12-19', '2026-12-31']);
    expect(table.years.map((y) => y.year)).toEqual(Array.from({ length: 2026 - 1990 + 1 }, (_, i) => 1990 + i));
    for (const y of table.years) {
      // 2015 on: the exchanges' annual notices; earlier years derived from the public trade calendar (and say so).
      expect(y.source).toMatch(y.year >= 2015 ? new RegExp(`notice on ${y.year} holiday closures`) : /derived as the weekdays absent from the trade calendar/);
    }
    expect(table.years.at(-1)!.source).toContain('2025-12-22');
  });

  it('2024–2026 closures equal ashare-market-rules.md §10.2 date by date', () => {
    const ref: Record<number, string[]> = {
      2024: ['01-01', '02-09', '02-12', '02-13', '02-14', '02-15', '02-16', '04-04', '04-05', '05-01', '05-02', '05-03', '06-10', '09-16', '09-17', '10-01', '10-02', '10-03', '10-04', '10-07'],
      2025: ['01-01', '01-28', '01-29', '01-30', '01-31', '02-03', '02-04', '04-04', '05-01', '05-02', '05-05', '06-02', '10-01', '10-02', '10-03', '10-06', '10-07', '10-08'],
      2026: ['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '02-23', '04-06', '05-01', '05-04', '05-05', '06-19', '09-25', '10-01', '10-02', '10-05', '10-06', '10-07'],
    };
    for (const [year, days] of Object.entries(ref)) {
      const y = table.years.find((x) => x.year === Number(year))!;
      expect(Object.values(y.closures).flat().sort()).toEqual(days.map((md) => `${year}-${md}`));
    }
    // Trading-day counts as §10.2 states them.
    const count = (y: number) => cal.range(d(`${y}-01-01`), d(`${y}-12-31`)).length;
    expect([count(2024), count(2025), count(2026)]).toEqual([242, 243, 242]);
  });

  it('Spring Festival 2026: next trading day after 2026-02-13 is 2026-02-24', () => {
    const r = loadHolidayCalendar();
    expect(r._tag).toBe('Right');
    if (r._tag === 'Right') {
      expect(r.right.next(d('2026-02-13'))).toBe('2026-02-24');
      expect(r.right.previous(d('2026-02-24'))).toBe('2026-02-13');
    }
  });
});

describe('loadHolidayTable / parseHolidayTable errors name the file and the key', () => {
  const good = `firstDay: 2026-01-01
lastDay: 2026-12-31
years:
  - year: 2026
    source: "SSE notice on 2026 holiday closures, 2025-12-22"
    tradingDays: 242
    closures:
      New Year: [2026-01-01, 2026-01-02]
      Spring Festival: [2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20, 2026-02-23]
      Qingming: [2026-04-06]
      Labour Day: [2026-05-01, 2026-05-04, 2026-05-05]
      Dragon Boat: [2026-06-19]
      Mid-Autumn: [2026-09-25]
      National Day: [2026-10-01, 2026-10-02, 2026-10-05, 2026-10-06, 2026-10-07]
`;
  const parse = (text: string) => parseHolidayTable(text, 'h.yaml');
  const left = (text: string) => {
    const r = parse(text);
    if (r._tag === 'Right') throw new Error('expected an error');
    return r.left;
  };

  it('accepts the well-formed table', () => expect(parse(good)._tag).toBe('Right'));

  it('a bad date', () => {
    const e = left(good.replace('2026-02-17', '2026-02-30'));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toBe('h.yaml: years[0].closures["Spring Festival"][1]: must be a date written YYYY-MM-DD.');
  });
  it('a weekend closure, a closure from another year and a duplicate, reported together', () => {
    const e = left(good.replace('Qingming: [2026-04-06]', 'Qingming: [2026-04-04, 2025-04-04, 2026-02-16]'));
    expect(e.issues).toEqual([
      'years[0].closures.Qingming[0]: 2026-04-04 is a weekend day (weekends never trade; list weekday closures only)',
      'years[0].closures.Qingming[1]: 2025-04-04 is not in year 2026',
      'years[0].closures.Qingming[2]: 2026-02-16 is already listed at years[0].closures["Spring Festival"][0]',
      'years[0].tradingDays: says 242 but 261 weekdays minus 18 closures leave 243',
    ]);
    expect(e.message).toMatch(/^h\.yaml: years\[0\]\.closures\.Qingming\[0\]: .* \(and 3 more problems\)\.$/);
  });
  it('a trading-day count that does not match (a dropped date)', () => {
    expect(left(good.replace('[2026-06-19]', '[]')).issues[0]).toMatch(/^years\[0\]\.closures\["Dragon Boat"\]: /);
    expect(left(good.replace('      Dragon Boat: [2026-06-19]\n', '')).message).toBe(
      'h.yaml: years[0].tradingDays: says 242 but 261 weekdays minus 18 closures leave 243.');
  });
  it('unknown keys, missing source, not YAML', () => {
    expect(left(good.replace('tradingDays', 'tradingDay')).issues.join(' | ')).toMatch(/years\[0\]/);
    expect(left(good.replace(/ {4}source: .*\n/, '')).message).toMatch(/^h\.yaml: years\[0\]\.source: /);
    expect(left('firstDay: [').message).toMatch(/^h\.yaml: \(root\): not valid YAML/);
  });
  it('a missing file is CONFIG_NOT_FOUND naming the path', () => {
    const r = loadHolidayCalendar('config/market/nope.yaml');
    expect(r._tag === 'Left' && r.left).toMatchObject({ code: 'CONFIG_NOT_FOUND', file: 'config/market/nope.yaml' });
  });
});

// The shipped table against the public akshare calendar (the data set's PROVENANCE.md says it matches real bars).
const fixtures = process.env.ASHARE_FIXTURES_DIR;
const calendarJson = fixtures ? join(fixtures, 'cn_trade_calendar_1990_2026', 'calendar.json') : '';
if (!fixtures) console.log('skipping holiday-calendar fixture check: ASHARE_FIXTURES_DIR is not set');
else if (!existsSync(calendarJson)) console.log(`skipping holiday-calendar fixture check: ${calendarJson} does not exist`);
describe.skipIf(!fixtures || !existsSync(calendarJson))('holiday calendar vs $ASHARE_FIXTURES_DIR/cn_trade_calendar_1990_2026', () => {
  it('agrees on every day 1990-12-19 … 2026-12-31', () => {
    const open = new Set((JSON.parse(readFileSync(calendarJson, 'utf8')) as string[]).map((s) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`));
    const diff: string[] = [];
    for (let day = d('1990-12-19'); day <= '2026-12-31'; day = addCalendarDays(day, 1)) {
      if (cal.isTradingDay(day) !== open.has(day)) diff.push(`${day}: table ${cal.isTradingDay(day)}, fixture ${open.has(day)}`);
    }
    expect(diff).toEqual([]);
  });
});

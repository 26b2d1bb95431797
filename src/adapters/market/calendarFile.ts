import { readFileSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createHolidayCalendar } from '../../domain/calendar/holidayCalendar.js';
import type { TradingCalendar } from '../../domain/calendar/tradingCalendar.js';
import { addCalendarDays, isTradingDayString, weekdayOf, type TradingDay } from '../../domain/tradingDay.js';

export const DEFAULT_HOLIDAYS_PATH = 'config/market/holidays.yaml';

export interface CalendarFileError {
  readonly code: 'CONFIG_NOT_FOUND' | 'CONFIG_INVALID';
  readonly file: string;
  /** Every problem found, each `key: what is wrong` (all reported at once, as config errors should be). */
  readonly issues: readonly string[];
  /** One sentence for the user, naming the file and the first key. */
  readonly message: string;
}

const zDate = z.string().refine(isTradingDayString, 'must be a date written YYYY-MM-DD');
const HolidayYear = z.strictObject({
  year: z.int().min(1990).max(2100),
  source: z.string().min(10, 'must name the exchange notice the dates come from'),
  tradingDays: z.int().positive(),
  closures: z.record(z.string().min(1), z.array(zDate).min(1)),
});
const HolidayFile = z.strictObject({ firstDay: zDate, lastDay: zDate, years: z.array(HolidayYear).min(1) });

/** The parsed table: weekday closures by year, each year naming its source notice. */
export interface HolidayTable {
  readonly firstDay: TradingDay;
  readonly lastDay: TradingDay;
  readonly years: readonly {
    readonly year: number;
    readonly source: string;
    readonly tradingDays: number;
    readonly closures: Readonly<Record<string, readonly TradingDay[]>>;
  }[];
}

const keyOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, k) => typeof k === 'number' ? `${acc}[${k}]`
    : /^[A-Za-z_]\w*$/.test(String(k)) ? `${acc}${acc ? '.' : ''}${String(k)}` : `${acc}[${JSON.stringify(String(k))}]`, '') || '(root)';

const invalid = (file: string, issues: string[]): Either<CalendarFileError, never> =>
  left({ code: 'CONFIG_INVALID', file, issues, message: `${file}: ${issues[0]}${issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : ''}.` });

/** Parses and checks the holiday table text; `file` only names the source in errors. */
export function parseHolidayTable(text: string, file: string): Either<CalendarFileError, HolidayTable> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return invalid(file, [`(root): not valid YAML (${(e as Error).message.split('\n')[0]!.replace(/:\s*$/, '')})`]);
  }
  const r = HolidayFile.safeParse(raw);
  if (!r.success) return invalid(file, r.error.issues.map((i) => `${keyOf(i.path)}: ${i.message}`));
  const t = r.data;
  const issues: string[] = [];
  if (t.firstDay > t.lastDay) issues.push(`firstDay: ${t.firstDay} is after lastDay ${t.lastDay}`);
  const seen = new Map<string, string>();
  t.years.forEach((y, yi) => {
    let closed = 0;
    for (const [name, days] of Object.entries(y.closures)) {
      days.forEach((d, di) => {
        const key = keyOf(['years', yi, 'closures', name, di]);
        if (!d.startsWith(`${y.year}-`)) issues.push(`${key}: ${d} is not in year ${y.year}`);
        else if (d < t.firstDay || d > t.lastDay) issues.push(`${key}: ${d} lies outside ${t.firstDay}…${t.lastDay}`);
        else if (weekdayOf(d as TradingDay) > 5) issues.push(`${key}: ${d} is a weekend day (weekends never trade; list weekday closures only)`);
        else if (seen.has(d)) issues.push(`${key}: ${d} is already listed at ${seen.get(d)}`);
        else { seen.set(d, key); closed++; }
      });
    }
    // The stated count catches a dropped or mistyped date that still parses.
    const weekdays = countWeekdays(y.year, t.firstDay as TradingDay, t.lastDay as TradingDay);
    if (weekdays - closed !== y.tradingDays) {
      issues.push(`${keyOf(['years', yi, 'tradingDays'])}: says ${y.tradingDays} but ${weekdays} weekdays minus ${closed} closures leave ${weekdays - closed}`);
    }
  });
  if (issues.length > 0) return invalid(file, issues);
  return right(deepFreeze(t as unknown as HolidayTable));
}

function countWeekdays(year: number, firstDay: TradingDay, lastDay: TradingDay): number {
  let n = 0;
  const from = `${year}-01-01` < firstDay ? firstDay : (`${year}-01-01` as TradingDay);
  const to = `${year}-12-31` > lastDay ? lastDay : (`${year}-12-31` as TradingDay);
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) if (weekdayOf(d) <= 5) n++;
  return n;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Builds the calendar from a checked table. */
export function calendarFromTable(t: HolidayTable): TradingCalendar {
  const closures = t.years.flatMap((y) => Object.values(y.closures).flat());
  return createHolidayCalendar(closures, t.firstDay, t.lastDay);
}

/** Reads and checks the holiday table file (YAML, validated with zod). */
export function loadHolidayTable(path: string = DEFAULT_HOLIDAYS_PATH): Either<CalendarFileError, HolidayTable> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return left({ code: 'CONFIG_NOT_FOUND', file: path, issues: [], message: `${path}: the holiday table file does not exist.` });
    }
    return invalid(path, [`(root): cannot be read (${code ?? (e as Error).message})`]);
  }
  return parseHolidayTable(text, path);
}

/** The exchange calendar from config/market/holidays.yaml (or `path`). */
export function loadHolidayCalendar(path: string = DEFAULT_HOLIDAYS_PATH): Either<CalendarFileError, TradingCalendar> {
  const t = loadHolidayTable(path);
  return t._tag === 'Left' ? t : right(calendarFromTable(t.right));
}

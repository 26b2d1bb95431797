import { z } from 'zod';

export const RebalanceScheduleSchema = z.enum(['daily', 'weekly', 'monthly']);
export type RebalanceSchedule = z.infer<typeof RebalanceScheduleSchema>;

/** ISO-8601 week of a `YYYY-MM-DD` date as a sortable key `YYYY-Www` (the ISO week-year may differ from the calendar year). */
export function isoWeekKey(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) throw new RangeError(`isoWeekKey: not a date ${JSON.stringify(day)}`);
  const d = new Date(t);
  const wd = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  d.setUTCDate(d.getUTCDate() + 4 - wd); // the Thursday of this week decides the week-year
  const year = d.getUTCFullYear();
  const week = Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Whether `day` starts a new rebalancing period after `previousDay` (both trading days, `previousDay`
 * earlier; null = nothing seen yet, which is always due).
 * - daily: every trading day;
 * - weekly: `day` is in a later ISO week than `previousDay` — with `previousDay` the trading day
 *   before, that is the first trading day of a new ISO week (a holiday Monday moves it to Tuesday);
 * - monthly: `day` is in a later calendar month — the first trading day of a new month.
 * No trading calendar is needed: the caller only asks on trading days.
 */
export function isRebalanceDue(schedule: RebalanceSchedule, previousDay: string | null, day: string): boolean {
  if (previousDay === null) return true;
  switch (schedule) {
    case 'daily': return day > previousDay;
    case 'weekly': return isoWeekKey(day) > isoWeekKey(previousDay);
    case 'monthly': return day.slice(0, 7) > previousDay.slice(0, 7);
  }
}

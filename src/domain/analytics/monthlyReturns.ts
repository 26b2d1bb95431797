export interface DailyReturn {
  readonly day: string;
  readonly r: number;
}

export interface MonthlyReturn {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** Π(1 + r_t) − 1 over the month's trading days. */
  readonly r: number;
}

export interface YearlyReturn {
  readonly year: number;
  readonly r: number;
}

/** Daily returns compounded into calendar months and years (days are `YYYY-MM-DD`, in order). */
export function monthlyReturns(daily: readonly DailyReturn[]): { months: MonthlyReturn[]; years: YearlyReturn[] } {
  const months: MonthlyReturn[] = [];
  const years: YearlyReturn[] = [];
  for (const { day, r } of daily) {
    const year = Number(day.slice(0, 4)), month = Number(day.slice(5, 7));
    const m = months[months.length - 1];
    if (m && m.year === year && m.month === month) months[months.length - 1] = { year, month, r: (1 + m.r) * (1 + r) - 1 };
    else months.push({ year, month, r });
    const y = years[years.length - 1];
    if (y && y.year === year) years[years.length - 1] = { year, r: (1 + y.r) * (1 + r) - 1 };
    else years.push({ year, r });
  }
  return { months, years };
}

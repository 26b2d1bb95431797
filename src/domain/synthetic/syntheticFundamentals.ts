import type { DataOf } from '../events/domainEvent.js';
import type { TradingDay } from '../tradingDay.js';
import { addCalendarDays } from '../tradingDay.js';
import { createPrng } from './prng.js';

export type SyntheticReport = DataOf<'FundamentalsReported'>;

/** Quarter ends and the calendar days after them by which A-share reports are due (Q1 by 04-30, H1 by 08-31, Q3 by 10-31, annual by 04-30). */
const QUARTERS = [['03-31', 30], ['06-30', 62], ['09-30', 31], ['12-31', 120]] as const;

/** A synthetic company's share count: the first draw of its `fundamentals` stream (5e8 … 2e10 shares). */
export const drawTotalShares = (rng: { next(): number }): number => Math.round((0.5 + rng.next() * 19.5) * 1e8) * 10;

/**
 * Deterministic quarterly reports for a synthetic universe, cumulative year-to-date as A-share
 * reports are: per symbol a share count, book value per share and an annual earnings level that
 * drift from year to year (some names lose money), revenue a multiple of earnings, announced on a
 * random day before the legal deadline. Independent of the price paths: value and quality factors
 * carry no built-in edge. Reports for periods ending in [from − 1 year, to].
 */
export function generateFundamentals(symbols: readonly string[], from: TradingDay, to: TradingDay, seed: number | string): SyntheticReport[] {
  const out: SyntheticReport[] = [];
  const y0 = Number(from.slice(0, 4)) - 1, y1 = Number(to.slice(0, 4));
  for (const symbol of symbols) {
    const rng = createPrng(seed, 'fundamentals', symbol);
    const shares = drawTotalShares(rng);
    let bvps = 2 + rng.next() * 18; // CNY
    let eps = -0.2 + rng.next() * 3; // CNY per year
    const margin = 0.05 + rng.next() * 0.2;
    for (let y = y0; y <= y1; y++) {
      eps = eps * (0.8 + rng.next() * 0.45) + (rng.next() - 0.5) * 0.2;
      bvps = Math.max(0.5, bvps + Math.max(0, eps) * 0.6);
      QUARTERS.forEach(([end, dueAfter], q) => {
        const period = `${y}-${end}` as TradingDay;
        if (period > to) return;
        const announcedDay = addCalendarDays(period, 10 + rng.int(0, dueAfter - 10));
        if (announcedDay > to || period < addCalendarDays(from, -366)) return;
        const ytdEps = eps * ((q + 1) / 4) * (0.9 + rng.next() * 0.2);
        const netProfitFen = Math.round(ytdEps * shares * 100);
        out.push({
          symbol, period, announcedDay,
          values: {
            epsMicro: Math.round(ytdEps * 1e6), bvpsMicro: Math.round(bvps * 1e6), netProfitFen,
            revenueFen: Math.round(Math.abs(netProfitFen) / margin), equityFen: Math.round(bvps * shares * 100), totalShares: shares,
          },
        });
      });
    }
  }
  return out.sort((a, b) => (a.announcedDay < b.announcedDay ? -1 : a.announcedDay > b.announcedDay ? 1 : a.symbol < b.symbol ? -1 : 1));
}

import { calendarDaysBetween } from '../tradingDay.js';
import type { TradingDay } from '../tradingDay.js';

/** Trading days per year used to annualise (RQAlpha and most references use 252; A-shares trade ~242). */
export const ANNUALISATION_DAYS = 252;

export interface EquitySample {
  readonly day: string;
  readonly equityFen: number;
}

export interface Drawdown {
  /** Largest peak-to-trough fall as a positive fraction (0.25 = −25%). */
  readonly maxDrawdown: number;
  readonly peakDay: string | null;
  readonly troughDay: string | null;
  /** First day equity regained the peak, or null if it has not. */
  readonly recoveryDay: string | null;
}

export interface SummaryMetrics extends Drawdown {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly annualVolatility: number;
  readonly sharpe: number;
  readonly days: number;
}

/** Simple daily returns r_t = E_t / E_{t−1} − 1, from the end-of-day equity series. */
export function dailyReturns(curve: readonly EquitySample[], startEquityFen?: number): number[] {
  const out: number[] = [];
  let prev = startEquityFen ?? curve[0]?.equityFen;
  for (let i = startEquityFen === undefined ? 1 : 0; i < curve.length; i++) {
    const e = curve[i]!.equityFen;
    out.push(prev ? e / prev - 1 : 0);
    prev = e;
  }
  return out;
}

const mean = (x: readonly number[]): number => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : 0);

/** Sample standard deviation (n − 1). */
export function stdev(x: readonly number[]): number {
  if (x.length < 2) return 0;
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}

/** Sharpe ratio of daily returns, annualised by √252, risk-free rate 0 unless given (annual). */
export function sharpe(returns: readonly number[], riskFreeAnnual = 0): number {
  const rf = riskFreeAnnual / ANNUALISATION_DAYS;
  const ex = returns.map((r) => r - rf);
  const sd = stdev(ex);
  return sd === 0 ? 0 : (mean(ex) / sd) * Math.sqrt(ANNUALISATION_DAYS);
}

export function maxDrawdown(curve: readonly EquitySample[]): Drawdown {
  let peak = -Infinity, peakDay: string | null = null;
  let best: Drawdown = { maxDrawdown: 0, peakDay: null, troughDay: null, recoveryDay: null };
  let bestPeak = 0;
  for (const p of curve) {
    if (p.equityFen > peak) { peak = p.equityFen; peakDay = p.day; }
    const dd = peak > 0 ? 1 - p.equityFen / peak : 0;
    if (dd > best.maxDrawdown) { best = { maxDrawdown: dd, peakDay, troughDay: p.day, recoveryDay: null }; bestPeak = peak; }
  }
  if (best.troughDay) {
    const after = curve.find((p) => p.day > best.troughDay! && p.equityFen >= bestPeak);
    best = { ...best, recoveryDay: after?.day ?? null };
  }
  return best;
}

/**
 * Headline statistics from the end-of-day equity curve, all from DAILY returns (never from the
 * cumulative series). CAGR uses calendar time: (E_end / E_0)^(365.25 / calendar days) − 1.
 */
export function summarise(curve: readonly EquitySample[], initialEquityFen: number): SummaryMetrics {
  const last = curve[curve.length - 1];
  const first = curve[0];
  const totalReturn = last && initialEquityFen > 0 ? last.equityFen / initialEquityFen - 1 : 0;
  const r = dailyReturns(curve, initialEquityFen);
  const span = first && last ? calendarDaysBetween(first.day as TradingDay, last.day as TradingDay) + 1 : 0;
  const cagr = span > 0 && last && initialEquityFen > 0 ? (last.equityFen / initialEquityFen) ** (365.25 / span) - 1 : 0;
  return {
    totalReturn, cagr, annualVolatility: stdev(r) * Math.sqrt(ANNUALISATION_DAYS), sharpe: sharpe(r), days: curve.length,
    ...maxDrawdown(curve),
  };
}

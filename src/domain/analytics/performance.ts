import type { BenchmarkBars, BenchmarkPoint } from './benchmark.js';
import { equalWeightBenchmark } from './benchmark.js';
import type { Exposure, Turnover, ValuationSample } from './exposure.js';
import { exposure, turnover } from './exposure.js';
import type { SummaryMetrics } from './metrics.js';
import { dailyReturns, summarise } from './metrics.js';
import type { MonthlyReturn, YearlyReturn } from './monthlyReturns.js';
import { monthlyReturns } from './monthlyReturns.js';
import type { RelativeMetrics } from './riskMetrics.js';
import { calmar, relativeMetrics, sortino } from './riskMetrics.js';
import type { RoundTrip, ShareGrant, TradeFill, TradeStats } from './roundTrips.js';
import { roundTrips, tradeStats } from './roundTrips.js';

export interface PerformanceInput {
  readonly initialEquityFen: number;
  /** End-of-day valuations in day order (the `DayClosed` events). */
  readonly curve: readonly ValuationSample[];
  /** The days of market bars in order (the `BarsClosed` events), or their benchmark already folded (`BenchmarkFold`). */
  readonly bars: readonly BenchmarkBars[] | { readonly benchmark: readonly BenchmarkPoint[] };
  /** Fills and share grants in journal order. */
  readonly trades: readonly (TradeFill | ShareGrant)[];
}

export interface DailyPoint {
  readonly day: string;
  readonly r: number;
  /** Equity / initial equity. */
  readonly growth: number;
  /** Equity / running peak − 1 (≤ 0). */
  readonly drawdown: number;
  readonly benchmarkR: number | null;
  readonly benchmarkGrowth: number | null;
}

export interface Performance {
  readonly summary: SummaryMetrics & { readonly sortino: number | null; readonly calmar: number | null };
  readonly trades: TradeStats & { readonly unmatchedSellQty: number; readonly openQty: number };
  readonly turnover: Turnover;
  readonly exposure: Omit<Exposure, 'series'>;
  readonly benchmark: { readonly name: string; readonly totalReturn: number; readonly annualVolatility: number } & RelativeMetrics;
  readonly monthly: { readonly strategy: MonthlyReturn[]; readonly years: YearlyReturn[]; readonly benchmark: MonthlyReturn[] };
  readonly daily: readonly DailyPoint[];
  readonly exposureSeries: Exposure['series'];
  readonly roundTrips: readonly RoundTrip[];
}

/**
 * Every statistic of a run from its end-of-day equity, its bars and its fills. All risk and return
 * figures come from DAILY simple returns (never from the cumulative series); the benchmark is the
 * equal-weighted market of the run's own symbols (see `equalWeightBenchmark`).
 */
export function analysePerformance(p: PerformanceInput): Performance {
  const base = summarise(p.curve, p.initialEquityFen);
  const r = dailyReturns(p.curve, p.initialEquityFen);
  const points = 'benchmark' in p.bars ? p.bars.benchmark : equalWeightBenchmark(p.bars);
  const bench = new Map<string, BenchmarkPoint>(points.map((b) => [b.day, b]));
  const first = p.curve[0] ? bench.get(p.curve[0].day) : undefined;
  // The benchmark's growth is rebased to the strategy's start: 1 before the first valued day.
  const base0 = first ? first.index / (1 + first.r) : 1;
  let peak = -Infinity;
  const daily: DailyPoint[] = p.curve.map((c, i) => {
    peak = Math.max(peak, c.equityFen);
    const b = bench.get(c.day);
    return {
      day: c.day, r: r[i]!, growth: p.initialEquityFen > 0 ? c.equityFen / p.initialEquityFen : 0,
      drawdown: peak > 0 ? c.equityFen / peak - 1 : 0, benchmarkR: b?.r ?? null, benchmarkGrowth: b ? b.index / base0 : null,
    };
  });
  const paired = daily.filter((d) => d.benchmarkR !== null);
  const rel = relativeMetrics(paired.map((d) => d.r), paired.map((d) => d.benchmarkR!));
  const benchReturns = paired.map((d) => d.benchmarkR!);
  const benchCurve = paired.map((d) => ({ day: d.day, equityFen: d.benchmarkGrowth! }));
  const benchSummary = summarise(benchCurve, 1);
  const rt = roundTrips(p.trades);
  const traded = p.trades.reduce((a, t) => a + ('side' in t ? t.notionalFen : 0), 0);
  const { series, ...exp } = exposure(p.curve);
  const m = monthlyReturns(daily);
  return {
    summary: { ...base, sortino: sortino(r), calmar: calmar(base.cagr, base.maxDrawdown) },
    trades: { ...tradeStats(rt.roundTrips), unmatchedSellQty: rt.unmatchedSellQty, openQty: rt.openQty },
    turnover: turnover(traded, p.curve),
    exposure: exp,
    benchmark: { name: 'Equal-weighted run universe (total return via preClose)', totalReturn: benchSummary.totalReturn, annualVolatility: benchSummary.annualVolatility, ...rel },
    monthly: { strategy: m.months, years: m.years, benchmark: monthlyReturns(paired.map((d, i) => ({ day: d.day, r: benchReturns[i]! }))).months },
    daily, exposureSeries: series, roundTrips: rt.roundTrips,
  };
}

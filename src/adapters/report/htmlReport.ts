import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { map, type Either } from 'fp-ts/lib/Either.js';
import type { Performance } from '../../domain/index.js';
import { formatFen } from '../../domain/index.js';
import { writeFilesAtomically, type FsFailure } from '../fs/index.js';
import type { ReportInput } from './reportHtml.js';
import { renderReportHtml } from './reportHtml.js';

export type { ReportInput } from './reportHtml.js';
export type { ReportComparison } from './reportComparison.js';

/** A fill row as `summariseJournal` lists it. */
export interface ReportTrade {
  readonly day: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number;
  readonly priceMilli: number;
  readonly feesFen: number;
}

let echartsCache: string | undefined;
/** The minified ECharts build shipped in node_modules, read once (the page inlines it: no CDN). */
export function echartsSource(): string {
  echartsCache ??= readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  return echartsCache;
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (cells: (string | number | null)[]): string => cells.map(csvCell).join(',');
const cny = (fen: number): string => formatFen(Math.round(fen));

/** Round trips and fills in one table: `record` says which; money in CNY, prices in CNY with 3 decimals. */
export function tradesCsv(r: ReportInput): string {
  const head = ['record', 'day', 'exit_day', 'symbol', 'side', 'qty', 'price', 'exit_price', 'notional_cny', 'proceeds_cny', 'fees_cny', 'pnl_cny', 'return', 'order_id', 'fill_id'];
  const trips = r.performance.roundTrips.map((t) => line(['round_trip', t.entryDay, t.exitDay, t.symbol, 'long', t.qty, (t.entryPriceMilli / 1000).toFixed(3),
    (t.exitPriceMilli / 1000).toFixed(3), cny(t.costFen), cny(t.proceedsFen), cny(t.feesFen), cny(t.pnlFen), t.returnPct.toFixed(6), null, null]));
  const fills = r.fills.map((f) => line(['fill', f.day, null, f.symbol, f.side, f.qty, (f.priceMilli / 1000).toFixed(3), null, cny(f.notionalFen), null,
    cny(f.feesFen), null, null, f.orderId, f.fillId]));
  return [line(head), ...trips, ...fills].join('\n') + '\n';
}

/** A run's statistics without its day-by-day series and round-trip list. */
const statistics = (perf: Performance): Omit<Performance, 'daily' | 'exposureSeries' | 'roundTrips'> => {
  const { daily: _d, exposureSeries: _e, roundTrips: _t, ...p } = perf;
  return p;
};

/**
 * The statistics without the day-by-day series (those are in the page and equity.csv), and the risk
 * summary; with a comparison run, its label, final equity, fees and statistics under `comparison`.
 */
export function metricsJson(r: ReportInput): string {
  const p = statistics(r.performance);
  const c = r.comparison;
  return JSON.stringify({
    title: r.title, journal: r.journalPath, projectionHash: r.projectionHash, headHash: r.headHash,
    symbols: r.symbols, days: r.days, events: r.events, initialEquityFen: r.initialEquityFen, finalEquityFen: r.finalEquityFen, feesFen: r.feesFen,
    conventions: {
      returns: 'simple daily returns of end-of-day equity; day 1 against the starting cash', annualisation: 252,
      cagr: 'calendar days / 365.25', sortino: 'downside deviation below 0 over all days', alpha: 'OLS intercept of daily excess returns (rf 0) x 252',
      benchmark: 'equal-weighted daily-rebalanced mean of close/preClose - 1 over all symbols in the run',
      roundTrips: 'FIFO per symbol, net of both sides fees, dividends excluded', turnover: '(buys + sells) / average equity x 252 / days',
    },
    ...p,
    risk: r.risk,
    // Absent, the key is left out, so the file is as it was without a comparison.
    ...(c === undefined ? {} : { comparison: { label: c.label, finalEquityFen: c.finalEquityFen, feesFen: c.feesFen, ...statistics(c.performance) } }),
  }, null, 2) + '\n';
}

/**
 * Writes `report.html` (self-contained: ECharts and the data inline), `metrics.json`, `trades.csv`
 * and `equity.csv` into `dir` (made 0700 when missing), whole or not at all: on a full disk or
 * read-only media nothing is left truncated and the failure says so. Returns the HTML path.
 */
export function writeReport(dir: string, r: ReportInput): Either<FsFailure, string> {
  // equity = growth × initial equity, exact back to the fen (growth is equity / initial).
  const equity = 'date,equity,growth,benchmark_growth,drawdown\n'
    + r.performance.daily.map((d) => line([d.day, cny(d.growth * r.initialEquityFen), d.growth.toFixed(8), d.benchmarkGrowth?.toFixed(8) ?? null, d.drawdown.toFixed(8)])).join('\n') + '\n';
  const written = writeFilesAtomically(dir, [
    { name: 'report.html', text: renderReportHtml(r, echartsSource()) },
    { name: 'metrics.json', text: metricsJson(r) },
    { name: 'trades.csv', text: tradesCsv(r) },
    { name: 'equity.csv', text: equity },
  ]);
  return map(() => join(dir, 'report.html'))(written);
}

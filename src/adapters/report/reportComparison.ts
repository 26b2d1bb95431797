import type { DailyPoint, Performance } from '../../domain/index.js';
import { cny, esc, num, pct } from './reportFormat.js';

/** A second run of the same strategy with one thing left out, shown beside the main run. */
export interface ReportComparison {
  /** What the comparison run left out, e.g. "without the sentiment factor (weights.sentiment = 0)". */
  readonly label: string;
  /** Its performance, computed the same way as the main run's (same Performance type). */
  readonly performance: Performance;
  readonly finalEquityFen: number;
  readonly feesFen: number;
}

/** What the table reads from either run: the main run's `ReportInput` fits, and so does a `ReportComparison`. */
export interface ComparedRun {
  readonly performance: Performance;
  readonly finalEquityFen: number;
  readonly feesFen: number;
}

/** Which way is better, to colour the difference; `neither` leaves it plain. */
type Better = 'higher' | 'lower' | 'neither';

interface Metric {
  readonly name: string;
  readonly better: Better;
  readonly value: (r: ComparedRun) => number | null;
  readonly show: (x: number | null) => string;
  /** The difference (with − without), signed. */
  readonly diff: (d: number) => string;
}

const plus = (d: number, text: string): string => (d > 0 ? `+${text}` : text);
/** Percentages differ in percentage points, not in percent of each other. */
const points = (d: number): string => plus(d, `${(d * 100).toFixed(2)} pp`);
const ratio = (d: number): string => plus(d, num(d));
const count = (d: number): string => plus(d, String(d));
const money = (d: number): string => plus(d, cny(d));

const METRICS: readonly Metric[] = [
  { name: 'Total return', better: 'higher', value: (r) => r.performance.summary.totalReturn, show: pct, diff: points },
  { name: 'CAGR', better: 'higher', value: (r) => r.performance.summary.cagr, show: pct, diff: points },
  { name: 'Sharpe (rf 0)', better: 'higher', value: (r) => r.performance.summary.sharpe, show: (x) => num(x), diff: ratio },
  { name: 'Sortino (target 0)', better: 'higher', value: (r) => r.performance.summary.sortino, show: (x) => num(x), diff: ratio },
  // maxDrawdown is a positive fraction (0.25 = −25%): smaller is better.
  { name: 'Max drawdown', better: 'lower', value: (r) => r.performance.summary.maxDrawdown, show: pct, diff: points },
  { name: 'Annualised volatility', better: 'lower', value: (r) => r.performance.summary.annualVolatility, show: pct, diff: points },
  { name: 'Round trips', better: 'neither', value: (r) => r.performance.trades.roundTrips, show: (x) => (x === null ? '–' : String(x)), diff: count },
  { name: 'Win rate', better: 'higher', value: (r) => r.performance.trades.winRate, show: pct, diff: points },
  { name: 'Fees paid (CNY)', better: 'lower', value: (r) => r.feesFen, show: (x) => (x === null ? '–' : cny(x)), diff: money },
  { name: 'Final equity (CNY)', better: 'higher', value: (r) => r.finalEquityFen, show: (x) => (x === null ? '–' : cny(x)), diff: money },
];

export interface ComparisonRow {
  readonly metric: string;
  readonly with: string;
  readonly without: string;
  readonly difference: string;
  /** `up` (red) where the run with it is better, `down` (green) where worse, '' otherwise (Chinese colour convention). */
  readonly tone: 'up' | 'down' | '';
}

/** One row per key metric: the main run, the comparison, and with − without ('–' when either side has no value). */
export function comparisonRows(main: ComparedRun, other: ComparedRun): ComparisonRow[] {
  return METRICS.map((m) => {
    const a = m.value(main), b = m.value(other);
    const d = a === null || b === null ? null : a - b;
    const tone = d === null || d === 0 || m.better === 'neither' ? '' : (d > 0) === (m.better === 'higher') ? 'up' : 'down';
    return { metric: m.name, with: m.show(a), without: m.show(b), difference: d === null ? '–' : m.diff(d), tone };
  });
}

/**
 * The comparison's growth on the main run's days, as the equity chart's x-axis has them: null on a
 * day the comparison has no valuation; its days outside the main run are not plotted (`unplotted`).
 */
export function alignGrowth(days: readonly string[], other: readonly DailyPoint[]): { growth: (number | null)[]; missing: number; unplotted: number } {
  const byDay = new Map(other.map((d) => [d.day, d.growth]));
  const growth = days.map((d) => byDay.get(d) ?? null);
  const onAxis = new Set(days);
  return { growth, missing: growth.filter((g) => g === null).length, unplotted: other.filter((d) => !onAxis.has(d.day)).length };
}

/** The "With / without" table for the report's first screen; '' without a comparison, so such a page is unchanged. */
export function renderComparisonSection(main: ComparedRun, c: ReportComparison | undefined): string {
  if (c === undefined) return '';
  const rows = comparisonRows(main, c).map((r) => `<tr><th>${esc(r.metric)}</th><td>${esc(r.with)}</td><td>${esc(r.without)}</td>`
    + `<td${r.tone ? ` class="${r.tone}"` : ''}>${esc(r.difference)}</td></tr>`).join('');
  const { missing, unplotted } = alignGrowth(main.performance.daily.map((d) => d.day), c.performance.daily);
  const gaps = missing || unplotted
    ? ` The comparison has no valuation on ${missing} of this run's days (gaps in its line) and ${unplotted} day(s) outside them (not plotted).`
    : '';
  return `<h2>With / without</h2><p class="comparison-label">Comparison run: <b>${esc(c.label)}</b></p>
<table class="comparison"><tr><th>Metric</th><th>With (this run)</th><th>Without (comparison)</th><th>Difference (with − without)</th></tr>${rows}</table>
<p class="note">${esc(`Both runs' figures are computed the same way (see the conventions below). Differences of percentages are in percentage points; red where the run with it is better, green where worse. Its equity curve is the dashed line on the cumulative-return chart.${gaps}`)}</p>
`;
}

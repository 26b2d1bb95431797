import type { Performance } from '../../domain/index.js';
import type { ReportComparison } from './reportComparison.js';
import { alignGrowth } from './reportComparison.js';
import type { StateBand } from './reportStates.js';
import { stateMarkArea } from './reportStates.js';

/**
 * ECharts options for the report, as plain JSON (no functions: they are embedded in the page).
 * Colours follow the Chinese market convention: RED = up / gain, GREEN = down / loss.
 */
export const UP = '#d62728', DOWN = '#2ca02c', NEUTRAL = '#5470c6';
/** The comparison run's line: neither red nor green, so it reads as neither gain nor loss. */
export const COMPARISON = '#9467bd';

const pct = (x: number): number => Math.round(x * 10_000) / 100;
const grid = { left: 64, right: 64, top: 40, bottom: 56 };
const percentAxis = { type: 'value', scale: true, axisLabel: { formatter: '{value}%' } };
const zoom = [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }];

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** Whether tooltips show values as percentages (the page adds the formatter). */
  readonly percent: boolean;
  readonly option: Record<string, unknown>;
}

/**
 * The report's charts; with `comparison`, its cumulative return is a dashed third line on the equity
 * chart, on the main run's days. `bands` (the trading-state timeline) shade the equity chart behind
 * the strategy's line; none, and the chart is as it was before them.
 */
export function reportCharts(p: Performance, comparison?: Pick<ReportComparison, 'label' | 'performance'>, bands: readonly StateBand[] = []): ChartSpec[] {
  const days = p.daily.map((d) => d.day);
  const common = { animation: false, grid, dataZoom: zoom, tooltip: { trigger: 'axis' }, xAxis: { type: 'category', data: days, boundaryGap: false } };
  return [
    {
      id: 'chart-equity', title: 'Cumulative return: strategy vs equal-weighted market', percent: true,
      option: {
        ...common, legend: { top: 4 }, yAxis: percentAxis,
        series: [
          {
            name: 'Strategy', type: 'line', showSymbol: false, lineStyle: { width: 2 }, color: UP, data: p.daily.map((d) => pct(d.growth - 1)),
            ...(bands.length ? { markArea: stateMarkArea(bands) } : {}),
          },
          { name: 'Benchmark', type: 'line', showSymbol: false, lineStyle: { width: 1.5 }, color: NEUTRAL, data: p.daily.map((d) => (d.benchmarkGrowth === null ? null : pct(d.benchmarkGrowth - 1))) },
          ...(comparison === undefined ? [] : [{
            name: comparison.label, type: 'line', showSymbol: false, lineStyle: { width: 1.5, type: 'dashed' }, color: COMPARISON,
            data: alignGrowth(days, comparison.performance.daily).growth.map((g) => (g === null ? null : pct(g - 1))),
          }]),
        ],
      },
    },
    {
      id: 'chart-drawdown', title: 'Drawdown from the running peak', percent: true,
      option: {
        ...common, yAxis: { ...percentAxis, max: 0 },
        series: [{ name: 'Drawdown', type: 'line', showSymbol: false, color: DOWN, areaStyle: { opacity: 0.35 }, data: p.daily.map((d) => pct(d.drawdown)) }],
      },
    },
    monthlyHeatmap(p),
    {
      id: 'chart-exposure', title: 'Gross exposure and number of positions', percent: false,
      option: {
        ...common, legend: { top: 4 },
        yAxis: [{ type: 'value', name: 'exposure', min: 0, axisLabel: { formatter: '{value}%' } }, { type: 'value', name: 'positions', min: 0, minInterval: 1 }],
        series: [
          { name: 'Gross exposure %', type: 'line', showSymbol: false, color: NEUTRAL, areaStyle: { opacity: 0.15 }, data: p.exposureSeries.map((e) => pct(e.gross)) },
          { name: 'Positions', type: 'line', step: 'end', showSymbol: false, yAxisIndex: 1, color: '#888', data: p.exposureSeries.map((e) => e.positions) },
        ],
      },
    },
  ];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Year'];

/** Years down, months across, plus the year's compounded return in a 13th column. */
function monthlyHeatmap(p: Performance): ChartSpec {
  const years = p.monthly.years.map((y) => String(y.year));
  const data: [number, number, number][] = [
    ...p.monthly.strategy.map((m): [number, number, number] => [m.month - 1, years.indexOf(String(m.year)), pct(m.r)]),
    ...p.monthly.years.map((y, i): [number, number, number] => [12, i, pct(y.r)]),
  ];
  const extent = Math.max(1, ...data.map((d) => Math.abs(d[2])));
  return {
    id: 'chart-monthly', title: 'Monthly returns (%)', percent: true,
    option: {
      animation: false, tooltip: { position: 'top' }, grid: { left: 64, right: 24, top: 16, bottom: 84 },
      xAxis: { type: 'category', data: MONTHS, splitArea: { show: true } },
      yAxis: { type: 'category', data: years, inverse: true, splitArea: { show: true } },
      visualMap: { min: -extent, max: extent, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 200, inRange: { color: [DOWN, '#f7f7f7', UP] } },
      series: [{ name: 'Monthly return', type: 'heatmap', data, label: { show: true, formatter: '{@[2]}' } }],
    },
  };
}

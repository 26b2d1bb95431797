import type { Performance, RoundTrip, TradeFill } from '../../domain/index.js';
import type { ChartSpec } from './reportCharts.js';
import { DOWN, UP, reportCharts } from './reportCharts.js';
import type { ReportComparison } from './reportComparison.js';
import { renderComparisonSection } from './reportComparison.js';
import { cny, esc, num, pct, signed } from './reportFormat.js';
import type { ReportRisk } from './reportRisk.js';
import { renderRiskSection } from './reportRisk.js';
import type { StateBand } from './reportStates.js';
import { STATE_COLOURS, tradingStateBands } from './reportStates.js';

/** What the report shows; every figure is rebuilt from the journal (see `buildReport` in app/report). */
export interface ReportInput {
  readonly title: string;
  readonly journalPath: string;
  readonly projectionHash: string;
  readonly headHash: string;
  /** The head anchored beside the journal, when there is one (it may lag the head after a crash). */
  readonly anchoredSeq?: number | null;
  readonly symbols: number;
  readonly days: number;
  readonly events: number;
  readonly initialEquityFen: number;
  readonly finalEquityFen: number;
  readonly feesFen: number;
  readonly performance: Performance;
  readonly fills: readonly TradeFill[];
  /** The risk gate's decisions, trading-state changes and stops. */
  readonly risk: ReportRisk;
  /**
   * A second run with one thing left out (e.g. a factor's weight set to 0), shown as a "With / without"
   * table on the first screen and a dashed line on the equity chart. Absent: the page is as without it.
   */
  readonly comparison?: ReportComparison;
}

export const MAX_ROWS = 500;

export { esc };
/** Inline data and code must not close the <script> element early. */
const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

export function metricRows(r: ReportInput): [string, string][] {
  const p = r.performance, s = p.summary, b = p.benchmark, t = p.trades;
  return [
    ['Total return', pct(s.totalReturn)], ['Benchmark total return', pct(b.totalReturn)], ['CAGR', pct(s.cagr)],
    ['Annualised volatility', pct(s.annualVolatility)], ['Sharpe (rf 0)', num(s.sharpe)], ['Sortino (target 0)', num(s.sortino)],
    ['Max drawdown', pct(s.maxDrawdown)], ['Drawdown peak / trough / recovery', `${s.peakDay ?? '–'} / ${s.troughDay ?? '–'} / ${s.recoveryDay ?? 'not recovered'}`],
    ['Calmar', num(s.calmar)], ['Alpha (annual) / beta', `${pct(b.alpha)} / ${num(b.beta, 3)}`],
    ['Information ratio / tracking error', `${num(b.informationRatio)} / ${pct(b.trackingError)}`],
    ['Round trips / win rate', `${t.roundTrips} / ${pct(t.winRate)}`], ['Profit factor', num(t.profitFactor)],
    ['Net round-trip P&L (CNY)', cny(t.netPnlFen)], ['Annual turnover', `${num(p.turnover.annualTurnover)}×`],
    ['Time in market / avg gross exposure', `${pct(p.exposure.timeInMarket)} / ${pct(p.exposure.averageGrossExposure)}`],
    ['Equity start → end (CNY)', `${cny(r.initialEquityFen)} → ${cny(r.finalEquityFen)}`], ['Fees paid (CNY)', cny(r.feesFen)],
    ['Symbols / trading days / events', `${r.symbols} / ${r.days} / ${r.events}`],
  ];
}

function tripRows(trips: readonly RoundTrip[]): string {
  return trips.slice(-MAX_ROWS).map((t) => `<tr><td>${esc(t.symbol)}</td><td>${t.entryDay}</td><td>${t.exitDay}</td><td>${t.qty}</td>`
    + `<td>${(t.entryPriceMilli / 1000).toFixed(3)}</td><td>${(t.exitPriceMilli / 1000).toFixed(3)}</td><td>${cny(t.feesFen)}</td>`
    + `${signed(t.pnlFen, cny(t.pnlFen))}${signed(t.pnlFen, pct(t.returnPct))}</tr>`).join('');
}

function fillRows(fills: readonly TradeFill[]): string {
  return fills.slice(-MAX_ROWS).map((f) => `<tr><td>${f.day}</td><td>${esc(f.symbol)}</td><td class="${f.side === 'buy' ? 'up' : 'down'}">${f.side}</td>`
    + `<td>${f.qty}</td><td>${(f.priceMilli / 1000).toFixed(3)}</td><td>${cny(f.notionalFen)}</td><td>${cny(f.feesFen)}</td><td>${esc(f.orderId)}</td></tr>`).join('');
}

const chartDiv = (c: ChartSpec, years: number, caption = ''): string =>
  `<section><h2>${esc(c.title)}</h2><div id="${c.id}" class="chart" style="height:${c.id === 'chart-monthly' ? 130 + 40 * years : 340}px"></div>${caption}</section>`;

/** The key to the equity chart's trading-state bands, or that the state never changed. */
function statesCaption(r: ReportInput, bands: readonly StateBand[]): string {
  const n = r.risk.stateChanges.length;
  if (bands.length === 0) return `<p class="note states">Trading state: ${esc(r.risk.finalState)} throughout (no change recorded).</p>`;
  const seen = new Set(bands.map((b) => b.state));
  const key = (['ACTIVE', 'REDUCING', 'HALTED'] as const).filter((x) => seen.has(x))
    .map((x) => `<span class="swatch" style="background:${STATE_COLOURS[x]}"></span>${x}${x === 'REDUCING' ? ' (sells only)' : x === 'HALTED' ? ' (no orders)' : ''}`).join(' ');
  const times = (x: string): string => {
    const k = bands.filter((b) => b.state === x).length;
    return k === 0 ? '' : `; ${x} ${k === 1 ? 'once' : `${k} times`}`;
  };
  return `<p class="note states">Shaded by trading state: ${key}. ${n} change${n === 1 ? '' : 's'} (who and why under Risk)`
    + `${times('REDUCING')}${times('HALTED')}; ${esc(r.risk.finalState)} at the end.</p>`;
}

const CONVENTIONS = `Returns are simple daily returns of end-of-day equity (day 1 against the starting cash); every ratio is computed from them,
never from the cumulative curve. Annualisation uses 252 days (√252 for volatility, ×252 for alpha); CAGR uses calendar days / 365.25.
Sortino divides by the downside deviation below 0 over all days. Alpha/beta: OLS of daily excess returns (risk-free 0) on the benchmark's.
The benchmark is the equal-weighted daily-rebalanced index of all symbols in the run, close / preClose − 1 (total return across ex-dividend days).
Round trips pair buys and sells per symbol first-in first-out, net of both sides' fees, dividends excluded. Turnover: buys + sells over average equity, per year.
Colours: red = up / gain, green = down / loss (Chinese market convention).`;

/** The whole page: the ECharts build and the data inline, so it opens offline (no CDN, no fetch). */
export function renderReportHtml(r: ReportInput, echartsJs: string): string {
  const bands = tradingStateBands(r.performance.daily.map((d) => d.day), r.risk.stateChanges);
  const charts = reportCharts(r.performance, r.comparison, bands);
  // The equity chart, shaded by trading state, is on the first screen: a halt shows at a glance.
  const [equity, ...others] = charts;
  const years = r.performance.monthly.years.length;
  const rows = metricRows(r).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const more = (n: number) => (n > MAX_ROWS ? ` (last ${MAX_ROWS} of ${n}; all in trades.csv)` : '');
  const data = scriptSafe(JSON.stringify(charts.map((c) => ({ id: c.id, percent: c.percent, option: c.option }))));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px auto;max-width:1120px;color:#222;padding:0 16px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f6f6f6;font-weight:600}
td:first-child,th:first-child{text-align:left}.metrics th{text-align:left}.chart{width:100%;border:1px solid #eee}
.up{color:${UP}}.down{color:${DOWN}}code{font-size:12px}.note{color:#555;font-size:12px;white-space:pre-line}#report-errors{color:#b00}
.scroll{max-height:480px;overflow:auto}td.text,th.text{text-align:left}
.warn{background:#fff4e0;border:1px solid #e8a33d;padding:6px 10px;font-weight:600}.warn.halted{background:#fde7e0;border:2px solid #c0392b}
.swatch{display:inline-block;width:12px;height:10px;border:1px solid #bbb;margin:0 3px 0 6px;vertical-align:baseline}</style></head>
<body><h1>${esc(r.title)}</h1>
<p>Rebuilt from journal <code>${esc(r.journalPath)}</code><br>projection hash <code>${esc(r.projectionHash)}</code><br>journal head <code>${esc(r.headHash)}</code>${r.anchoredSeq === undefined ? '' : r.anchoredSeq === null ? ' — <strong>no head anchor</strong> (ashare journal verify)' : ` — anchored at seq ${r.anchoredSeq}`}</p>
<pre id="report-errors"></pre>
<script>window.addEventListener('error',function(e){document.getElementById('report-errors').textContent+='Script error: '+e.message+'\\n';});</script>
${renderComparisonSection(r, r.comparison)}${chartDiv(equity!, years, statesCaption(r, bands))}
<h2>Summary</h2><table class="metrics">${rows}</table><p class="note">${esc(CONVENTIONS)}</p>
${renderRiskSection(r.risk, esc)}
${others.map((c) => chartDiv(c, years)).join('\n')}
<h2>Round trips${more(r.performance.roundTrips.length)}</h2><div class="scroll"><table><tr><th>Symbol</th><th>Entry</th><th>Exit</th><th>Qty</th><th>Entry price</th><th>Exit price</th><th>Fees</th><th>P&amp;L (CNY)</th><th>Return</th></tr>${tripRows(r.performance.roundTrips)}</table></div>
<h2>Fills${more(r.fills.length)}</h2><div class="scroll"><table><tr><th>Day</th><th>Symbol</th><th>Side</th><th>Qty</th><th>Price</th><th>Notional</th><th>Fees</th><th>Order</th></tr>${fillRows(r.fills)}</table></div>
<script>${scriptSafe(echartsJs)}</script>
<script>(function(){var specs=${data};var ready=0;
specs.forEach(function(s){var el=document.getElementById(s.id);var c=echarts.init(el,null,{renderer:'canvas'});
if(s.percent&&s.option.tooltip){s.option.tooltip.valueFormatter=function(v){return v==null?'–':Number(v).toFixed(2)+'%';};}
c.setOption(s.option);ready++;window.addEventListener('resize',function(){c.resize();});});
document.body.setAttribute('data-charts-ready',String(ready));})();</script>
</body></html>`;
}

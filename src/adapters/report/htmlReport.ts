import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SummaryMetrics } from '../../domain/index.js';
import { formatFen } from '../../domain/index.js';

export interface ReportTrade {
  readonly day: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number;
  readonly priceMilli: number;
  readonly feesFen: number;
}

export interface ReportInput {
  readonly title: string;
  readonly journalPath: string;
  readonly projectionHash: string;
  readonly headHash: string;
  readonly metrics: SummaryMetrics & { readonly trades: number; readonly feesFen: number };
  readonly equity: readonly { day: string; equityFen: number }[];
  readonly trades: readonly ReportTrade[];
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Equity curve as an inline SVG polyline: no script, no CDN, renders offline. */
function equitySvg(points: readonly { day: string; equityFen: number }[]): string {
  if (points.length < 2) return '<p>Not enough days for a chart.</p>';
  const w = 900, h = 280, pad = 40;
  const ys = points.map((p) => p.equityFen);
  const lo = Math.min(...ys), hi = Math.max(...ys), span = hi - lo || 1;
  const xy = points.map((p, i) => `${(pad + (i / (points.length - 1)) * (w - 2 * pad)).toFixed(1)},${(h - pad - ((p.equityFen - lo) / span) * (h - 2 * pad)).toFixed(1)}`);
  return `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="equity curve">`
    + `<rect x="0" y="0" width="${w}" height="${h}" fill="#fff"/>`
    + `<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="${xy.join(' ')}"/>`
    + `<text x="${pad}" y="${pad - 10}" font-size="12">${esc(formatFen(hi))} CNY</text>`
    + `<text x="${pad}" y="${h - 10}" font-size="12">${esc(points[0]!.day)} … ${esc(points[points.length - 1]!.day)}; low ${esc(formatFen(lo))} CNY</text></svg>`;
}

/**
 * Writes `report.html` (self-contained), `metrics.json` and `equity.csv` into `dir` and returns
 * the HTML path. Issue 4 replaces the chart with a bundled charting library and more views.
 */
export function writeReport(dir: string, r: ReportInput): string {
  mkdirSync(dir, { recursive: true });
  const m = r.metrics;
  const rows: [string, string][] = [
    ['Total return', pct(m.totalReturn)], ['CAGR', pct(m.cagr)], ['Annual volatility', pct(m.annualVolatility)],
    ['Sharpe (daily returns, √252)', m.sharpe.toFixed(3)],
    ['Max drawdown', `${pct(m.maxDrawdown)} (peak ${m.peakDay ?? '–'}, trough ${m.troughDay ?? '–'}, recovered ${m.recoveryDay ?? 'not yet'})`],
    ['Trading days', String(m.days)], ['Fills', String(m.trades)], ['Fees paid', `${formatFen(m.feesFen)} CNY`],
  ];
  const trades = r.trades.slice(-500).map((t) =>
    `<tr><td>${esc(t.day)}</td><td>${esc(t.orderId)}</td><td>${esc(t.symbol)}</td><td>${esc(t.side)}</td><td>${t.qty}</td><td>${(t.priceMilli / 1000).toFixed(3)}</td><td>${formatFen(t.feesFen)}</td></tr>`).join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}code{font-size:12px}</style></head>
<body><h1>${esc(r.title)}</h1>
<p>Rebuilt from journal <code>${esc(r.journalPath)}</code><br>projection hash <code>${r.projectionHash}</code><br>journal head <code>${r.headHash}</code></p>
<h2>Summary</h2><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Equity</h2>${equitySvg(r.equity)}
<h2>Trades${r.trades.length > 500 ? ' (last 500)' : ''}</h2><table><tr><th>Day</th><th>Order</th><th>Symbol</th><th>Side</th><th>Qty</th><th>Price</th><th>Fees</th></tr>${trades}</table>
</body></html>`;
  const path = join(dir, 'report.html');
  writeFileSync(path, html);
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ projectionHash: r.projectionHash, headHash: r.headHash, ...m }, null, 2) + '\n');
  writeFileSync(join(dir, 'equity.csv'), 'date,equity\n' + r.equity.map((p) => `${p.day},${formatFen(p.equityFen)}`).join('\n') + '\n');
  return path;
}

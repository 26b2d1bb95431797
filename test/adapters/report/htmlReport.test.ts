import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOrElseW } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { echartsSource, writeReport } from '../../../src/adapters/report/htmlReport.js';
import { renderReportHtml } from '../../../src/adapters/report/reportHtml.js';
import { reportFixture } from './reportFixture.js';

describe('report files', () => {
  const input = reportFixture();
  const dir = mkdtempSync(join(tmpdir(), 'ashare-report-'));
  const path = getOrElseW((f: { message: string }) => { throw new Error(f.message); })(writeReport(dir, input));
  const html = readFileSync(path, 'utf8');

  it('is self-contained: no script or stylesheet is loaded from a URL', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]*\shref\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    // The ECharts build itself is inline.
    expect(html).toContain(echartsSource().slice(0, 200));
  });

  it('has a div per chart, escapes the title, and keeps the inline data from closing its script', () => {
    for (const id of ['chart-equity', 'chart-drawdown', 'chart-monthly', 'chart-exposure']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<title>Fixture &lt;run&gt; &amp; &quot;quotes&quot;</title>');
    const evil = renderReportHtml({ ...input, performance: { ...input.performance, daily: [{ ...input.performance.daily[0]!, day: '</script><b>x' }] } }, '');
    expect(evil).not.toContain('</script><b>x');
  });

  it('writes metrics.json with the statistics and trades.csv with round trips and fills', () => {
    const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(m.summary.totalReturn).toBeCloseTo(input.performance.summary.totalReturn, 12);
    expect(m).toHaveProperty('benchmark.beta');
    expect(m).not.toHaveProperty('daily');
    const csv = readFileSync(join(dir, 'trades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('record,day,exit_day,symbol,side,qty,price,exit_price,notional_cny,proceeds_cny,fees_cny,pnl_cny,return,order_id,fill_id');
    expect(csv.filter((l) => l.startsWith('round_trip,'))).toHaveLength(3);
    expect(csv.filter((l) => l.startsWith('fill,'))).toHaveLength(5);
    expect(readFileSync(join(dir, 'equity.csv'), 'utf8').trim().split('\n')).toHaveLength(61);
  });
});

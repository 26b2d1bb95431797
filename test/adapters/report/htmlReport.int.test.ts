import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../../src/adapters/report/htmlReport.js';
import { renderReportHtml } from '../../../src/adapters/report/reportHtml.js';
import { reportFixture } from './reportFixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipping the report rendering test: ${CHROMIUM} is not installed`);

const CHARTS = ['chart-equity', 'chart-drawdown', 'chart-monthly', 'chart-exposure'];

/** The page's DOM after its scripts ran, from headless Chromium (offline: no network flags needed, the page loads nothing). */
function dumpDom(htmlPath: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'ashare-chromium-'));
  const r = spawnSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', `--user-data-dir=${profile}`, '--window-size=1200,2400', '--dump-dom', pathToFileURL(htmlPath).href,
  ], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  it('initialises every chart (a canvas in each chart div) with no script error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ashare-report-int-'));
    const written = writeReport(dir, reportFixture());
    if (written._tag === 'Left') throw new Error(written.left.message);
    const dom = dumpDom(written.right);
    // Only the page's text and markup: the inline ECharts source mentions errors of its own.
    const markup = dom.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '<script></script>');
    expect(/data-charts-ready="4"/.test(markup), 'all four charts initialised').toBe(true);
    for (const id of CHARTS) {
      const start = markup.indexOf(`id="${id}"`);
      expect(start, id).toBeGreaterThan(0);
      expect(markup.slice(start, markup.indexOf('</section>', start)).includes('<canvas'), `${id} has a canvas`).toBe(true);
    }
    expect(/<pre id="report-errors"><\/pre>/.test(markup), 'the error box is empty').toBe(true);
    expect(/Script error|Uncaught|TypeError|ReferenceError/.test(markup), 'no error text in the page').toBe(false);
  }, 90_000);

  it('a run with trading-state changes: the equity chart draws its bands, every chart initialises, no script error', () => {
    const base = reportFixture();
    const days = base.performance.daily.map((d) => d.day);
    const stateChanges = [
      { day: days[10]!, from: 'ACTIVE' as const, to: 'REDUCING' as const, by: 'risk:maxDrawdown', why: 'drawdown 10.20% reached the 10.00% limit' },
      { day: days[30]!, from: 'REDUCING' as const, to: 'ACTIVE' as const, by: 'policy:afterDays', why: '20 trading days REDUCING' },
      { day: days[50]!, from: 'ACTIVE' as const, to: 'HALTED' as const, by: 'alice', why: 'checking' },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'ashare-report-int-'));
    const written = writeReport(dir, { ...base, risk: { ...base.risk, stateChanges, finalState: 'HALTED' } });
    if (written._tag === 'Left') throw new Error(written.left.message);
    const markup = dumpDom(written.right).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '<script></script>');
    expect(/data-charts-ready="4"/.test(markup), 'all four charts initialised').toBe(true);
    const start = markup.indexOf('id="chart-equity"');
    expect(markup.slice(start, markup.indexOf('</section>', start)).includes('<canvas'), 'the equity chart has a canvas').toBe(true);
    expect(/<pre id="report-errors"><\/pre>/.test(markup), 'the error box is empty').toBe(true);
  }, 90_000);

  it('the check can fail: a page without ECharts shows the error and no chart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ashare-report-int-')), 'broken.html');
    writeFileSync(path, renderReportHtml(reportFixture(), '/* no echarts */'));
    const markup = dumpDom(path).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    expect(/<pre id="report-errors">Script error: [^<]*echarts/.test(markup), 'the error is shown').toBe(true);
    expect(markup.includes('<canvas')).toBe(false);
  }, 90_000);
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import { buildReport } from '../../../src/app/report/index.js';
import { defaultReportDir, reportCommand } from '../../../src/app/cli/commands/report.js';

// A real journal from the compiled CLI's demo (`npm test` builds dist/ first).
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-report-cmd-'));
let demo: { journal: string; report: string; projectionHash: string; headHash: string; days: number };

const quiet = () => vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
afterEach(() => { vi.restoreAllMocks(); });

describe('report rebuilt from the journal alone', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), 'demo', '--json', '--symbols', '20', '--days', '120'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
    expect(r.status, r.stderr).toBe(0);
    demo = JSON.parse(r.stdout);
  });

  it('buildReport: one valued day per trading day, the journal head, round trips within the fills', async () => {
    const events = await readJournalFile(demo.journal, undefined);
    if (isLeft(events)) throw new Error(events.left.message);
    const { input, summary } = buildReport(events.right, { journalPath: demo.journal });
    expect(input.performance.daily).toHaveLength(demo.days);
    expect(input.headHash).toBe(demo.headHash);
    expect(input.projectionHash).toBe(demo.projectionHash);
    expect(summary.projectionHash).toBe(demo.projectionHash);
    const t = input.performance.trades;
    expect(t.roundTrips).toBeGreaterThan(0);
    expect(t.unmatchedSellQty).toBe(0);
    const bought = input.fills.filter((f) => f.side === 'buy').reduce((a, f) => a + f.qty, 0);
    const sold = input.fills.filter((f) => f.side === 'sell').reduce((a, f) => a + f.qty, 0);
    expect(input.performance.roundTrips.reduce((a, r) => a + r.qty, 0)).toBe(sold);
    expect(t.openQty).toBe(bought - sold);
    expect(input.performance.benchmark.beta).not.toBeNull();
  });

  it('ashare report writes the same files the backtest wrote (same code, same journal)', async () => {
    const out = join(work, 'again');
    quiet();
    expect(await reportCommand(['--journal', demo.journal, '--out', out, '--json'])).toBe(0);
    const backtestDir = join(demo.report, '..');
    expect(backtestDir).toBe(resolve(defaultReportDir(demo.journal)));
    for (const f of ['report.html', 'metrics.json', 'trades.csv', 'equity.csv']) {
      expect(readFileSync(join(out, f), 'utf8') === readFileSync(join(backtestDir, f), 'utf8'), f).toBe(true);
    }
  });

  it('--json prints the paths and headline statistics; default output beside the journal', async () => {
    const spy = quiet();
    expect(await reportCommand(['--journal', demo.journal, '--json'])).toBe(0);
    const printed = JSON.parse(spy.mock.calls.map((c) => String(c[0])).join(''));
    expect(printed.report).toBe(join(defaultReportDir(demo.journal), 'report.html'));
    expect(printed.projectionHash).toBe(demo.projectionHash);
    for (const k of ['totalReturn', 'sharpe', 'maxDrawdown', 'beta']) expect(Number.isFinite(printed.metrics[k])).toBe(true);
    expect(existsSync(printed.report)).toBe(true);
  });

  it('usage and journal errors are AppErrors with their codes', async () => {
    await expect(reportCommand([])).rejects.toMatchObject({ code: 'USAGE', exitCode: 2 });
    await expect(reportCommand(['--journal', join(work, 'missing.sqlite')])).rejects.toMatchObject({ exitCode: 4 });
    await expect(reportCommand(['--nope'])).rejects.toMatchObject({ code: 'USAGE' });
  });
});

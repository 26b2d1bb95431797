import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-sweep-'));
const ashare = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), ...args], { cwd: work, encoding: 'utf8' });

describe('ashare sweep', () => {
  it('runs every grid point on worker threads, each with its own journal, ranked by Sharpe; invalid points are reported', () => {
    const r = ashare('sweep', '--config', join(repo, 'config', 'backtest.yaml'), '--grid', 'fast=5,10,30;slow=20,60', '--out', join(work, 's'), '--workers', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toHaveLength(6);
    const ok = out.rows.filter((x: { ok: boolean }) => x.ok);
    expect(ok).toHaveLength(5); // fast=30, slow=20 is refused by the config (fast must be shorter)
    expect(out.rows[5]).toMatchObject({ ok: false, rank: null });
    expect(out.rows[5].error).toContain('fast must be shorter than slow');
    const sharpes = ok.map((x: { metrics: { sharpe: number } }) => x.metrics.sharpe);
    expect(sharpes).toEqual([...sharpes].sort((a, b) => b - a));
    expect(new Set(ok.map((x: { journal: string }) => x.journal)).size).toBe(5);
    for (const x of ok) expect(existsSync(x.journal)).toBe(true);
    // A grid point's result equals a plain backtest of the same config: the sweep adds nothing of its own.
    const best = ok[0];
    expect(ashare('journal', 'verify', best.journal).status).toBe(0);
    const cfg = join(work, 'best.yaml');
    writeFileSync(cfg, readFileSync(join(repo, 'config', 'backtest.yaml'), 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
      .replace(/fast: \d+/, `fast: ${best.params['strategy.params.fast']}`).replace(/slow: \d+/, `slow: ${best.params['strategy.params.slow']}`));
    const single = ashare('backtest', '--config', cfg, '--json');
    expect(single.status, single.stderr).toBe(0);
    expect(JSON.parse(single.stdout).projectionHash).toBe(best.projectionHash);
  });

  it('walk-forward picks the in-sample best per window and runs it out of sample', () => {
    const r = ashare('sweep', '--config', join(repo, 'config', 'backtest.yaml'), '--grid', 'fast=5,10;slow=20', '--out', join(work, 'wf'), '--walk-forward', '200:100', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.windows).toHaveLength(3); // 500 days: windows start at 0, 100, 200
    for (const w of out.windows) {
      expect(w.inSample.to < w.outOfSample.from).toBe(true);
      expect(w.best).not.toBeNull();
      expect(Number.isFinite(w.outOfSampleMetrics.sharpe)).toBe(true);
    }
  });

  it('a bad grid is a usage error naming the problem', () => {
    const r = ashare('sweep', '--config', join(repo, 'config', 'backtest.yaml'), '--grid', 'fast');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('key=v1,v2');
  });
});

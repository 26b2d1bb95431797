import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pgUnavailableReason, startPg, type PgServer } from '../../fixtures/pgServer.js';

// Issue 17: a distributed sweep with 3 worker processes, one of them killed mid-job: the sweep
// completes and its result table equals the local sweep's.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const cli = join(repo, 'bin', 'ashare.js');
const GRID = 'fast=5,10,30;slow=20,60';
const skip = pgUnavailableReason();
if (skip !== null) console.log(`distributed sweep test skipped: ${skip}`);

/** The ranked table without the trailing line that says where the journals are. */
const tableOf = (stdout: string): string => stdout.split('\n').filter((l) => /^(rank|\s+(\d+|-)\s)/.test(l)).join('\n');

describe.skipIf(skip !== null)('ashare sweep --queue postgres://… with ashare worker', () => {
  let server: PgServer | undefined;
  const work = mkdtempSync(join(tmpdir(), 'ashare-sweepq-'));
  const workers: ChildProcess[] = [];
  afterAll(() => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('3 workers, one killed with SIGKILL mid-job: the job is retried elsewhere and the table equals the local sweep', async () => {
    server = startPg();
    const url = server.url;
    const local = spawnSync(process.execPath, [cli, 'sweep', '--config', join(repo, 'config', 'backtest.yaml'), '--grid', GRID, '--out', join(work, 'local'), '--workers', '2'], { cwd: work, encoding: 'utf8' });
    expect(local.status, local.stderr).toBe(0);

    const env = { ...process.env, ASHARE_QUEUE_URL: url };
    const logs: string[][] = [[], [], []];
    let killed: string | null = null;
    for (let i = 0; i < 3; i++) {
      const w = spawn(process.execPath, [cli, 'worker', '--out', join(work, `w${i}`), '--name', `w${i}`], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
      workers.push(w);
      createInterface({ input: w.stderr! }).on('line', (line) => {
        logs[i]!.push(line);
        // The first job anyone starts: kill that worker while the backtest runs.
        const m = /running (\S+ \S+) \(attempt 1\)/.exec(line);
        if (m && killed === null) {
          killed = m[1]!;
          w.kill('SIGKILL');
        }
      });
    }
    const sweep = spawn(process.execPath, [cli, 'sweep', '--config', join(repo, 'config', 'backtest.yaml'), '--grid', GRID, '--queue', url, '--job-timeout', '3'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    sweep.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    sweep.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((r) => sweep.on('exit', (c) => r(c)));
    expect(code, stderr).toBe(0);
    expect(killed).not.toBeNull();
    expect(workers.filter((w) => w.signalCode === 'SIGKILL')).toHaveLength(1);
    // The killed worker's job was run again by another worker, as attempt 2.
    expect(logs.flat().some((l) => l.includes(`running ${killed} (attempt 2)`))).toBe(true);
    expect(stderr).toMatch(/sweep: 6\/6 done/);
    expect(tableOf(stdout)).toBe(tableOf(local.stdout));
    expect(tableOf(stdout).split('\n')).toHaveLength(7);
    expect(stdout + stderr).not.toContain(new URL(url).password || 'never');
  }, 180_000);
});

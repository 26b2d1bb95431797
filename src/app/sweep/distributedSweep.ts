import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { SweepQueue } from '../../adapters/postgres/sweepQueue.js';
import type { GridPoint } from './grid.js';
import { applyPoint, pointLabel } from './grid.js';
import type { SweepJob, SweepJobResult, SweepRow } from './runSweep.js';

export interface DistributedSweepOptions {
  readonly queue: SweepQueue;
  /** The queue's URL, handed to this sweep's own workers through the environment (never argv, which `ps` shows). */
  readonly queueUrl: string;
  readonly baseConfig: unknown;
  readonly baseDir: string;
  readonly codeVersion: string;
  readonly sweepId?: string;
  /** Worker processes of its own (`ashare worker`); 0 = only enqueue and wait for workers elsewhere. */
  readonly workers: number;
  /** The folder the own workers keep their journals in (`--out` of `ashare worker`). */
  readonly workerOut: string;
  readonly jobTimeoutSeconds: number;
  readonly barsOverride?: string;
  readonly onProgress?: (done: number, total: number, etaSeconds: number | null) => void;
  /** The `ashare` entry script the own workers run (bin/ashare.js). */
  readonly cli: string;
}

const POLL_MS = 500;
const FAILED_CHECK_EVERY = 10; // polls

/** A sweep's id: unique per run, safe in file names. */
export const newSweepId = (): string => `sweep-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

/**
 * The distributed sweep: one job per grid point into the PostgreSQL queue, `workers` worker
 * processes of its own (more can join from any machine with `ashare worker`), then waits for every
 * result, showing progress. A job whose worker dies is handed to another when it expires; one that
 * pg-boss gives up on is a row with `ok: false`. Rows come back in grid order, as from `runSweep`.
 */
export async function runDistributedSweep(points: readonly GridPoint[], o: DistributedSweepOptions): Promise<{ sweepId: string; rows: SweepRow[] }> {
  const sweepId = o.sweepId ?? newSweepId();
  const jobs: SweepJob[] = points.map((p, id) => {
    const label = `${String(id + 1).padStart(3, '0')}_${pointLabel(p)}`;
    // journalPath/reportDir are chosen by the worker that runs it (under its own --out).
    return {
      id, label, config: applyPoint(o.baseConfig, p), baseDir: o.baseDir, codeVersion: o.codeVersion, journalPath: '', reportDir: '',
      ...(o.barsOverride ? { barsOverride: o.barsOverride } : {}),
    };
  });
  const ids = await o.queue.enqueue(sweepId, jobs, { expireInSeconds: o.jobTimeoutSeconds, retryLimit: 3 });
  const children: ChildProcess[] = [];
  for (let i = 0; i < o.workers; i++) {
    children.push(spawn(process.execPath, [o.cli, 'worker', '--out', o.workerOut, '--name', `${sweepId}-w${i + 1}`], {
      stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ASHARE_QUEUE_URL: o.queueUrl },
    }));
  }
  const started = Date.now();
  const results = new Map<number, SweepJobResult>();
  const gaveUp = new Set<number>();
  try {
    for (let poll = 0; results.size + gaveUp.size < jobs.length; poll++) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      for (const [id, r] of await o.queue.results<SweepJobResult>(sweepId)) results.set(id, r);
      if (poll % FAILED_CHECK_EVERY === FAILED_CHECK_EVERY - 1) {
        const pending = ids.filter((_, i) => !results.has(i) && !gaveUp.has(i));
        const failed = await o.queue.failed(pending);
        ids.forEach((qid, i) => { if (failed.has(qid) && !results.has(i)) gaveUp.add(i); });
      }
      const done = results.size + gaveUp.size;
      const elapsed = (Date.now() - started) / 1000;
      o.onProgress?.(done, jobs.length, done > 0 ? (elapsed / done) * (jobs.length - done) : null);
    }
  } finally {
    await Promise.all(children.map((c) => new Promise<void>((res) => {
      if (c.exitCode !== null || c.signalCode !== null) return res();
      c.once('exit', () => res());
      c.kill('SIGTERM');
    })));
  }
  const rows = jobs.map((j, i): SweepRow => ({
    point: points[i]!, label: j.label,
    result: results.get(i) ?? { id: i, ok: false, error: 'every attempt failed or expired (its workers died or ran past --job-timeout)' },
  }));
  return { sweepId, rows };
}

/** Where a worker keeps a job's journal and report: its own folder, one journal per attempt (a retry never continues a killed attempt's file). */
export const workerJobPaths = (out: string, sweepId: string, label: string, attempt: number): { journalPath: string; reportDir: string } => ({
  journalPath: join(out, sweepId, `${label}.a${attempt}.sqlite`),
  reportDir: join(out, sweepId, `${label}.a${attempt}.report`),
});

import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GridPoint } from './grid.js';
import { applyPoint, pointLabel } from './grid.js';

export interface SweepJob {
  readonly id: number;
  readonly label: string;
  readonly config: unknown;
  readonly baseDir: string;
  readonly codeVersion: string;
  readonly journalPath: string;
  readonly reportDir: string;
  readonly barsOverride?: string;
  readonly dayRange?: { from?: string; to?: string };
}

export interface SweepMetrics {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly sharpe: number;
  readonly maxDrawdown: number;
  readonly annualVolatility: number;
  readonly trades: number;
}

export type SweepJobResult =
  | { id: number; ok: true; journal: string; projectionHash: string; days: number; metrics: SweepMetrics }
  | { id: number; ok: false; error: string };

export interface SweepRow {
  readonly point: GridPoint;
  readonly label: string;
  readonly result: SweepJobResult;
}

export type RankMetric = 'sharpe' | 'totalReturn' | 'cagr' | 'maxDrawdown';

export interface SweepOptions {
  readonly baseConfig: unknown;
  readonly baseDir: string;
  readonly codeVersion: string;
  readonly outDir: string;
  readonly marketDir: string;
  readonly workers?: number;
  readonly barsOverride?: string;
  readonly dayRange?: { from?: string; to?: string };
  readonly onDone?: (done: number, total: number) => void;
}

/**
 * Runs every grid point as its own backtest (its own journal under `outDir`) on a pool of worker
 * threads, one per core by default. Results come back in grid order; invalid points (e.g. fast ≥
 * slow) are rows with `ok: false` and the config problem, not a failed sweep.
 */
export async function runSweep(points: readonly GridPoint[], o: SweepOptions): Promise<SweepRow[]> {
  mkdirSync(o.outDir, { recursive: true });
  const size = Math.max(1, Math.min(o.workers ?? availableParallelism(), points.length));
  const jobs: SweepJob[] = points.map((p, id) => {
    const label = `${String(id + 1).padStart(3, '0')}_${pointLabel(p)}`;
    return {
      id, label, config: applyPoint(o.baseConfig, p), baseDir: o.baseDir, codeVersion: o.codeVersion,
      journalPath: join(o.outDir, `${label}.sqlite`), reportDir: join(o.outDir, `${label}.report`),
      ...(o.barsOverride ? { barsOverride: o.barsOverride } : {}), ...(o.dayRange ? { dayRange: o.dayRange } : {}),
    };
  });
  const results = new Array<SweepJobResult>(jobs.length);
  let next = 0, done = 0;
  const workerUrl = new URL('./worker.js', import.meta.url);
  await Promise.all(Array.from({ length: size }, () => new Promise<void>((resolve, reject) => {
    const w = new Worker(workerUrl, { workerData: { marketDir: o.marketDir } });
    const feed = () => {
      if (next >= jobs.length) { void w.terminate().then(() => resolve()); return; }
      w.postMessage(jobs[next++]);
    };
    w.on('message', (r: SweepJobResult) => { results[r.id] = r; o.onDone?.(++done, jobs.length); feed(); });
    w.on('error', reject);
    feed();
  })));
  return jobs.map((j, i) => ({ point: points[i]!, label: j.label, result: results[i]! }));
}

/** Best first by the metric (max drawdown: smallest first); failed points last, in grid order. */
export function rankRows(rows: readonly SweepRow[], by: RankMetric): SweepRow[] {
  const score = (r: SweepRow) => (r.result.ok ? (by === 'maxDrawdown' ? -r.result.metrics.maxDrawdown : r.result.metrics[by]) : -Infinity);
  return rows.map((r, i) => ({ r, i })).sort((a, b) => score(b.r) - score(a.r) || a.i - b.i).map((x) => x.r);
}

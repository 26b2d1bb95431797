import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import { classifyPgError, createPool, redactUrl } from './pgConnection.js';

/*
 * The job queue of distributed sweeps: pg-boss (a maintained PostgreSQL job queue: SKIP LOCKED
 * fetches, expiry and retry of jobs whose worker died) for the jobs, and one small table for their
 * results, which the coordinator reads by sweep. The payload is opaque here (the app's SweepJob).
 */

export const SWEEP_QUEUE = 'ashare-sweep';

const RESULTS_DDL = `
CREATE TABLE IF NOT EXISTS ashare_sweep_results (
  sweep_id text NOT NULL,
  job_id integer NOT NULL,
  result jsonb NOT NULL,
  worker text NOT NULL,
  PRIMARY KEY (sweep_id, job_id)
)`;

export interface QueuedJob<T> {
  readonly sweepId: string;
  readonly jobId: number;
  readonly payload: T;
}

export interface EnqueueOptions {
  /** A job whose worker has not finished it after this many seconds is given to another worker. */
  readonly expireInSeconds: number;
  /** Further attempts after the first (a killed worker's job, an expired one). */
  readonly retryLimit: number;
}

export interface SweepQueue {
  enqueue<T>(sweepId: string, jobs: readonly T[], o: EnqueueOptions): Promise<string[]>;
  /** Results stored so far for a sweep, by job id. */
  results<R>(sweepId: string): Promise<Map<number, R>>;
  /** Job ids (pg-boss ids) among `ids` that pg-boss gave up on (every attempt failed or expired). */
  failed(ids: readonly string[]): Promise<Set<string>>;
  /** Takes jobs one at a time until `stop()`; `handle` returns the result, stored before the job is completed. */
  work<T, R>(worker: string, handle: (job: QueuedJob<T>, attempt: number) => Promise<R>): Promise<void>;
  stop(): Promise<void>;
}

export class QueueError extends Error {
  constructor(readonly code: 'QUEUE_UNAVAILABLE' | 'QUEUE_IO', message: string) {
    super(message);
  }
}

/** Connects to the queue at `url` (installing pg-boss's schema and the results table on first use). */
export async function openSweepQueue(url: string, o: { supervise: boolean }): Promise<SweepQueue> {
  const shown = redactUrl(url);
  const pool: pg.Pool = createPool(url, 2, 'ashare-sweep');
  const boss = new PgBoss({
    connectionString: url, application_name: 'ashare-sweep', max: 4, supervise: o.supervise, schedule: false,
    // Expired jobs (a killed worker) are found within a second by the supervising coordinator.
    maintenanceIntervalSeconds: 1,
  });
  boss.on('error', () => undefined); // pg-boss retries on its own; without a listener an 'error' would crash the process
  try {
    await pool.query(RESULTS_DDL);
    await boss.start();
    if ((await boss.getQueue(SWEEP_QUEUE)) === null) {
      await boss.createQueue(SWEEP_QUEUE).catch(async (e: unknown) => {
        if ((await boss.getQueue(SWEEP_QUEUE)) === null) throw e; // another process made it meanwhile: fine
      });
    }
  } catch (e) {
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    const f = classifyPgError(e, url, `open the sweep queue ${shown}`);
    throw new QueueError(f.kind === 'UNAVAILABLE' ? 'QUEUE_UNAVAILABLE' : 'QUEUE_IO', f.message);
  }
  let stopped = false;

  return {
    async enqueue(sweepId, jobs, e) {
      const ids = jobs.map(() => randomUUID());
      await boss.insert(jobs.map((payload, jobId) => ({
        id: ids[jobId]!, name: SWEEP_QUEUE, data: { sweepId, jobId, payload }, retryLimit: e.retryLimit, retryDelay: 0,
        expireInSeconds: e.expireInSeconds, singletonKey: `${sweepId}/${jobId}`,
      })));
      return ids;
    },
    async results<R>(sweepId: string) {
      const r = await pool.query<{ job_id: number; result: R }>('SELECT job_id, result FROM ashare_sweep_results WHERE sweep_id = $1', [sweepId]);
      return new Map(r.rows.map((x) => [x.job_id, x.result]));
    },
    async failed(ids) {
      const out = new Set<string>();
      for (const id of ids) {
        const j = await boss.getJobById(SWEEP_QUEUE, id, { includeArchive: true });
        if (j?.state === 'failed' || j?.state === 'cancelled') out.add(id);
      }
      return out;
    },
    async work<T, R>(worker: string, handle: (job: QueuedJob<T>, attempt: number) => Promise<R>) {
      await boss.work<QueuedJob<T>>(SWEEP_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async ([job]) => {
        if (job === undefined) return;
        const result = await handle(job.data, job.retryCount + 1);
        // First result wins: a retried job computes the same one (the backtests are deterministic).
        await pool.query(
          'INSERT INTO ashare_sweep_results (sweep_id, job_id, result, worker) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [job.data.sweepId, job.data.jobId, JSON.stringify(result), worker]);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

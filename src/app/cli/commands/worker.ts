import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMarketRules } from '../../../adapters/market/index.js';
import { AppError, EXIT } from '../../errors.js';
import type { SweepJob, SweepJobResult } from '../../sweep/index.js';
import { runSweepJob, workerJobPaths } from '../../sweep/index.js';
import { shownJournal } from '../../journalio/index.js';
import { isPostgresUrl } from '../../journalio/index.js';
import { packageRoot, parse } from '../io.js';

const HELP = `
Usage: ashare worker [--queue postgres://…] [--out DIR] [--name NAME]

A sweep worker: takes grid points from the PostgreSQL job queue of distributed sweeps
(\`ashare sweep … --queue postgres://…\`), runs each as its own backtest (its journal under
DIR/SWEEP_ID/, default ./sweep-worker) and stores the result in the queue's database, one job at a
time, until stopped (SIGTERM/SIGINT finish the running job first). Run one per core, on as many
machines as you like; each needs the sweep's config and market data at the same paths. A worker
that dies mid-job loses nothing: the job expires (--job-timeout of the sweep) and another takes it.
The URL may also come from ASHARE_QUEUE_URL, which keeps its password out of the process list.`;

/** `ashare worker`: one process taking sweep jobs from the PostgreSQL queue until it is stopped. */
export async function workerCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { queue: { type: 'string' }, out: { type: 'string' }, name: { type: 'string' } }, HELP);
  if (!a) return EXIT.ok;
  const url = typeof a.values.queue === 'string' ? a.values.queue : process.env['ASHARE_QUEUE_URL'];
  if (url === undefined || url === '') throw new AppError('USAGE', 'worker needs --queue postgres://… or ASHARE_QUEUE_URL (see --help)', EXIT.usage);
  if (!isPostgresUrl(url)) throw new AppError('USAGE', '--queue takes a postgres:// URL', EXIT.usage);
  const out = resolve(typeof a.values.out === 'string' ? a.values.out : 'sweep-worker');
  const name = typeof a.values.name === 'string' ? a.values.name : `${hostname()}-${process.pid}`;
  const rules = loadMarketRules(join(packageRoot(), 'config', 'market'));
  const { openSweepQueue, QueueError } = await import('../../../adapters/postgres/sweepQueue.js');
  let queue;
  try {
    queue = await openSweepQueue(url, { supervise: true }); // any live worker also expires a dead one's jobs
  } catch (e) {
    if (e instanceof QueueError) throw new AppError(e.code, e.message, EXIT.journal);
    throw e;
  }
  const stopped = new Promise<void>((res) => {
    process.once('SIGTERM', () => res());
    process.once('SIGINT', () => res());
  });
  process.stderr.write(`worker ${name}: taking jobs from ${shownJournal(url)}, journals under ${out}\n`);
  await queue.work<SweepJob, SweepJobResult>(name, async (job, attempt) => {
    const paths = workerJobPaths(out, job.sweepId, job.payload.label, attempt);
    mkdirSync(join(out, job.sweepId), { recursive: true });
    process.stderr.write(`worker ${name}: running ${job.sweepId} ${job.payload.label} (attempt ${attempt})\n`);
    const r = await runSweepJob({ ...job.payload, ...paths }, rules);
    process.stderr.write(`worker ${name}: done ${job.sweepId} ${job.payload.label}: ${r.ok ? 'ok' : r.error}\n`);
    return r;
  });
  await stopped;
  await queue.stop();
  return EXIT.ok;
}

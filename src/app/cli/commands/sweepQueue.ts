import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadConfig } from '../../config/index.js';
import { AppError, EXIT } from '../../errors.js';
import { isPostgresUrl, shownJournal } from '../../journalio/index.js';
import type { GridPoint, RankMetric } from '../../sweep/index.js';
import { rankRows, runDistributedSweep } from '../../sweep/index.js';
import { codeVersion, packageRoot, printJson } from '../io.js';
import { sweepTable } from './sweep.js';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Prints progress on stderr: a line every 10% (and the ETA), or a live line on a terminal. */
function progress(): (done: number, total: number, eta: number | null) => void {
  let lastTenth = -1, lastDone = -1;
  return (done, total, eta) => {
    if (done === lastDone) return;
    lastDone = done;
    const etaText = eta === null ? '' : `, ETA ${eta >= 60 ? `${Math.floor(eta / 60)}m${String(Math.round(eta % 60)).padStart(2, '0')}s` : `${Math.round(eta)}s`}`;
    if (process.stderr.isTTY) process.stderr.write(`\rsweep: ${done}/${total} done${etaText}   ${done === total ? '\n' : ''}`);
    else if (Math.floor((done / total) * 10) !== lastTenth) {
      lastTenth = Math.floor((done / total) * 10);
      process.stderr.write(`sweep: ${done}/${total} done${etaText}\n`);
    }
  };
}

/** `ashare sweep --queue postgres://…`: the grid through the PostgreSQL job queue, the same ranked table. */
export async function queuedSweep(v: Values, points: readonly GridPoint[], rank: RankMetric): Promise<number> {
  const url = String(v['queue']);
  if (!isPostgresUrl(url)) throw new AppError('USAGE', '--queue takes a postgres:// URL', EXIT.usage);
  if (typeof v['walk-forward'] === 'string') throw new AppError('USAGE', '--walk-forward runs locally; it does not take --queue', EXIT.usage);
  const workers = v['workers'] === undefined ? 0 : Number(v['workers']);
  if (!(Number.isInteger(workers) && workers >= 0 && workers <= 64)) throw new AppError('USAGE', '--workers takes a whole number from 0 to 64 with --queue', EXIT.usage);
  const timeout = v['job-timeout'] === undefined ? 900 : Number(v['job-timeout']);
  if (!(Number.isInteger(timeout) && timeout >= 1 && timeout <= 86_400)) throw new AppError('USAGE', '--job-timeout takes whole seconds from 1 to 86400', EXIT.usage);
  const loaded = loadConfig(v['config'] as string);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  if (loaded.right.config.mode !== 'backtest') throw new AppError('CONFIG_INVALID', `${String(v['config'])}: a sweep runs backtests; mode is ${loaded.right.config.mode}`, EXIT.badInput);
  const workerOut = resolve(typeof v['out'] === 'string' ? v['out'] : join(loaded.right.config.journal.dir, 'sweep-worker'));
  const { openSweepQueue, QueueError } = await import('../../../adapters/postgres/sweepQueue.js');
  let queue;
  try {
    queue = await openSweepQueue(url, { supervise: true });
  } catch (e) {
    if (e instanceof QueueError) throw new AppError(e.code, e.message, EXIT.journal);
    throw e;
  }
  let result;
  try {
    process.stderr.write(`sweep: ${points.length} jobs into ${shownJournal(url)}${workers ? `, ${workers} workers of its own` : '; waiting for `ashare worker --queue …`'}\n`);
    result = await runDistributedSweep(points, {
      queue, queueUrl: url, baseConfig: loaded.right.config, baseDir: loaded.right.baseDir, codeVersion: codeVersion(),
      workers, workerOut, jobTimeoutSeconds: timeout, cli: join(packageRoot(), 'bin', 'ashare.js'), onProgress: progress(),
      ...(typeof v['bars'] === 'string' ? { barsOverride: resolve(v['bars']) } : {}),
    });
  } finally {
    await queue.stop();
  }
  const rows = rankRows(result.rows, rank);
  if (v['json']) printJson({ sweepId: result.sweepId, queue: shownJournal(url), rank, rows: rows.map((r, i) => ({ rank: r.result.ok ? i + 1 : null, params: r.point, ...r.result })) });
  else process.stdout.write(`${sweepTable(rows)}sweep ${result.sweepId}: journals on the workers, under their --out/${result.sweepId}/\n`);
  return rows.some((r) => r.result.ok) ? EXIT.ok : EXIT.badInput;
}

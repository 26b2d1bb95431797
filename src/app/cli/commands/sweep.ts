import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadMarketRules } from '../../../adapters/market/index.js';
import { loadMarket } from '../../backtest/market.js';
import { loadConfig } from '../../config/index.js';
import { AppError, EXIT } from '../../errors.js';
import type { RankMetric, SweepRow } from '../../sweep/index.js';
import { parseGrid, rankRows, runSweep, walkForward } from '../../sweep/index.js';
import { codeVersion, fileStamp, packageRoot, parse, printJson, progressBar } from '../io.js';
import { queuedSweep } from './sweepQueue.js';

const HELP = `
Usage: ashare sweep --config FILE --grid SPEC [--bars FILE] [--rank sharpe|totalReturn|cagr|maxDrawdown]
                    [--workers N] [--out DIR] [--walk-forward IS:OOS] [--json]
                    [--queue postgres://… [--workers N] [--job-timeout SECONDS]]

SPEC is key=values;key=values (e.g. 'fast=5,10,20;slow=60,120'). Runs every combination of the grid as its own backtest (its own journal) on worker threads, one per
core by default, and prints a ranked table. A bare key is a strategy parameter (fast = strategy.params.fast);
a dotted key is any config path (portfolio.maxPositions=10,20). --walk-forward 250:60 rolls windows of
250 in-sample trading days, picks the best point by --rank, and runs it on the next 60 days.
--queue postgres://… distributes the grid: its points go into a PostgreSQL job queue (pg-boss),
--workers N worker processes of its own take them (default 0: only enqueue, show progress and wait
for \`ashare worker --queue …\` on any machine), and the same ranked table is printed. A job whose
worker dies is retried by another once it expires (--job-timeout, default 900 s: longer than one
backtest). Keep the password out of the process list: PGPASSWORD or ~/.pgpass rather than the URL.`;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`.padStart(9);

export function sweepTable(rows: readonly SweepRow[]): string {
  const lines = ['rank  params                                      total      CAGR   Sharpe    maxDD  fills'];
  rows.forEach((r, i) => {
    const params = Object.entries(r.point).map(([k, v]) => `${k.replace(/^strategy\.params\./, '')}=${v}`).join(' ').padEnd(40);
    lines.push(r.result.ok
      ? `${String(i + 1).padStart(4)}  ${params}${pct(r.result.metrics.totalReturn)}${pct(r.result.metrics.cagr)}${r.result.metrics.sharpe.toFixed(2).padStart(9)}${pct(r.result.metrics.maxDrawdown)}${String(r.result.metrics.trades).padStart(7)}`
      : `   -  ${params}  not run: ${r.result.error}`);
  });
  return lines.join('\n') + '\n';
}

export async function sweepCommand(argv: string[]): Promise<number> {
  const a = parse(argv, {
    config: { type: 'string' }, grid: { type: 'string' }, bars: { type: 'string' }, rank: { type: 'string' },
    workers: { type: 'string' }, out: { type: 'string' }, 'walk-forward': { type: 'string' }, json: { type: 'boolean' },
    queue: { type: 'string' }, 'job-timeout': { type: 'string' },
  }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.config !== 'string' || typeof v.grid !== 'string') throw new AppError('USAGE', 'sweep needs --config FILE and --grid SPEC (see --help)', EXIT.usage);
  const grid = parseGrid(v.grid);
  if (!grid.ok) throw new AppError('USAGE', `--grid: ${grid.message}`, EXIT.usage);
  const rank = (v.rank ?? 'sharpe') as RankMetric;
  if (!['sharpe', 'totalReturn', 'cagr', 'maxDrawdown'].includes(rank)) throw new AppError('USAGE', '--rank takes sharpe, totalReturn, cagr or maxDrawdown', EXIT.usage);
  const workers = v.workers === undefined ? undefined : Number(v.workers);
  if (typeof v.queue === 'string') return queuedSweep(v, grid.points, rank);
  if (v['job-timeout'] !== undefined) throw new AppError('USAGE', '--job-timeout goes with --queue (see --help)', EXIT.usage);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new AppError('USAGE', '--workers takes a whole number from 1 to 64', EXIT.usage);
  const loaded = loadConfig(v.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  if (loaded.right.config.mode !== 'backtest') throw new AppError('CONFIG_INVALID', `${v.config}: a sweep runs backtests; mode is ${loaded.right.config.mode}`, EXIT.badInput);
  const marketDir = join(packageRoot(), 'config', 'market');
  const outDir = resolve(typeof v.out === 'string' ? v.out : join(loaded.right.config.journal.dir, `sweep-${fileStamp()}`));
  const bar = progressBar('sweep');
  const opts = {
    baseConfig: loaded.right.config, baseDir: loaded.right.baseDir, codeVersion: codeVersion(), outDir, marketDir,
    ...(workers ? { workers } : {}), ...(typeof v.bars === 'string' ? { barsOverride: resolve(v.bars) } : {}),
    onDone: (d: number, t: number) => bar.update(d - 1, t, `${d}/${t}`),
  };
  if (typeof v['walk-forward'] === 'string') {
    const m = /^(\d+):(\d+)$/.exec(v['walk-forward']);
    if (!m || Number(m[1]) < 2 || Number(m[2]) < 1) throw new AppError('USAGE', '--walk-forward takes IS:OOS trading days, e.g. 250:60', EXIT.usage);
    const rules = loadMarketRules(marketDir);
    if (isLeft(rules)) throw new AppError('MARKET_RULES_INVALID', rules.left.message, EXIT.internal);
    const market = await loadMarket(loaded.right.config.market, loaded.right.baseDir, () => rules.right, opts.barsOverride);
    const windows = await walkForward(market.dayList, grid.points, Number(m[1]), Number(m[2]), rank, opts);
    bar.done();
    if (windows.length === 0) throw new AppError('WALK_FORWARD_TOO_SHORT', `${market.dayList.length} trading days are fewer than one window of ${m[1]}+${m[2]}`, EXIT.badInput);
    if (v.json) printJson({ outDir, rank, windows });
    else for (const w of windows) {
      process.stdout.write(`${w.inSample.from}…${w.inSample.to} best ${JSON.stringify(w.best)} (${rank} ${w.inSampleMetrics ? w.inSampleMetrics[rank].toFixed(3) : '–'}) → out of sample ${w.outOfSample.from}…${w.outOfSample.to}: ${w.outOfSampleMetrics ? `return ${pct(w.outOfSampleMetrics.totalReturn).trim()}, Sharpe ${w.outOfSampleMetrics.sharpe.toFixed(2)}` : w.error}\n`);
    }
    return EXIT.ok;
  }
  const rows = rankRows(await runSweep(grid.points, opts), rank);
  bar.done();
  if (v.json) printJson({ outDir, rank, rows: rows.map((r, i) => ({ rank: r.result.ok ? i + 1 : null, params: r.point, ...r.result })) });
  else process.stdout.write(`${sweepTable(rows)}journals in ${outDir}\n`);
  return rows.some((r) => r.result.ok) ? EXIT.ok : EXIT.badInput;
}

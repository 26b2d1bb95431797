import { parentPort, workerData } from 'node:worker_threads';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadMarketRules } from '../../adapters/market/index.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { validateConfig } from '../config/index.js';
import type { SweepJob, SweepJobResult } from './runSweep.js';

// One backtest per message, on a worker thread: the pool sends jobs, this answers with the summary.
const { marketDir } = workerData as { marketDir: string };
const rules = loadMarketRules(marketDir);

parentPort!.on('message', async (job: SweepJob) => {
  const reply = (r: SweepJobResult) => parentPort!.postMessage(r);
  try {
    if (isLeft(rules)) throw new Error(rules.left.message);
    const loaded = validateConfig(job.config, `grid point ${job.label}`, job.baseDir);
    if (isLeft(loaded)) return reply({ id: job.id, ok: false, error: loaded.left.problems.join('; ') });
    const r = await runBacktest({
      loaded: loaded.right, marketRules: rules.right, codeVersion: job.codeVersion, stamp: job.label,
      journalPath: job.journalPath, reportDir: job.reportDir, ...(job.barsOverride ? { barsOverride: job.barsOverride } : {}),
      ...(job.dayRange ? { dayRange: job.dayRange } : {}),
    });
    reply({
      id: job.id, ok: true, journal: r.journalPath, projectionHash: r.projectionHash, days: r.days,
      metrics: { totalReturn: r.metrics.totalReturn, cagr: r.metrics.cagr, sharpe: r.metrics.sharpe, maxDrawdown: r.metrics.maxDrawdown, annualVolatility: r.metrics.annualVolatility, trades: r.metrics.trades },
    });
  } catch (e) {
    reply({ id: job.id, ok: false, error: (e as Error).message });
  }
});

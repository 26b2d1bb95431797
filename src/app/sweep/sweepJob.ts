import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import type { MarketRules } from '../../domain/rules/index.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { validateConfig } from '../config/index.js';
import type { SweepJob, SweepJobResult } from './runSweep.js';

/**
 * Runs one grid point as its own backtest and answers with its summary; never throws (a refused
 * config or a failed run is a result with `ok: false`). The same code on a worker thread of the local
 * sweep and in `ashare worker` of a distributed one, so both give the same rows.
 */
export async function runSweepJob(job: SweepJob, rules: Either<{ message: string }, MarketRules>): Promise<SweepJobResult> {
  try {
    if (isLeft(rules)) throw new Error(rules.left.message);
    const loaded = validateConfig(job.config, `grid point ${job.label}`, job.baseDir);
    if (isLeft(loaded)) return { id: job.id, ok: false, error: loaded.left.problems.join('; ') };
    const r = await runBacktest({
      loaded: loaded.right, marketRules: rules.right, codeVersion: job.codeVersion, stamp: job.label,
      journalPath: job.journalPath, reportDir: job.reportDir, ...(job.barsOverride ? { barsOverride: job.barsOverride } : {}),
      ...(job.dayRange ? { dayRange: job.dayRange } : {}),
    });
    return {
      id: job.id, ok: true, journal: r.journalPath, projectionHash: r.projectionHash, days: r.days,
      metrics: { totalReturn: r.metrics.totalReturn, cagr: r.metrics.cagr, sharpe: r.metrics.sharpe, maxDrawdown: r.metrics.maxDrawdown, annualVolatility: r.metrics.annualVolatility, trades: r.metrics.trades },
    };
  } catch (e) {
    return { id: job.id, ok: false, error: (e as Error).message };
  }
}

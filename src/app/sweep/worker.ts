import { parentPort, workerData } from 'node:worker_threads';
import { loadMarketRules } from '../../adapters/market/index.js';
import type { SweepJob, SweepJobResult } from './runSweep.js';
import { runSweepJob } from './sweepJob.js';

// One backtest per message, on a worker thread: the pool sends jobs, this answers with the summary.
const { marketDir } = workerData as { marketDir: string };
const rules = loadMarketRules(marketDir);

parentPort!.on('message', async (job: SweepJob) => {
  const r: SweepJobResult = await runSweepJob(job, rules);
  parentPort!.postMessage(r);
});

import { z } from 'zod';
import { zFen, zHash, zId } from './primitives.js';

export const RunMode = z.enum(['backtest', 'paper', 'live']);
export type RunMode = z.infer<typeof RunMode>;

/** First event of every journal: what ran, on what, with which configuration (and its hash). */
export const RunStarted = z.object({
  type: z.literal('RunStarted'),
  data: z.strictObject({
    runId: zId,
    mode: RunMode,
    config: z.record(z.string(), z.unknown()),
    configHash: zHash,
    dataSource: z.object({
      kind: z.string().min(1),
      description: z.string(),
      path: z.string().nullable(),
      sha256: zHash.nullable(),
    }),
    codeVersion: z.string().min(1),
    initialCashFen: zFen.nonnegative(),
  }),
});

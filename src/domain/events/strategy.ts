import { z } from 'zod';
import { zDay, zId, zSide, zSymbol } from './primitives.js';

/** A strategy's view: direction and a strength in [0, 1], with a human-readable reason. */
export const SignalEmitted = z.object({
  type: z.literal('SignalEmitted'),
  data: z.strictObject({
    signalId: zId,
    day: zDay,
    strategy: z.string().min(1),
    symbol: zSymbol,
    side: zSide,
    strength: z.number().min(0).max(1),
    reason: z.string(),
  }),
});

/**
 * A target-weight strategy's portfolio for the next session: weights of equity per symbol (the rest
 * cash), aligned arrays with symbols ascending. Written on the days the strategy rebalances.
 */
export const TargetsSet = z.object({
  type: z.literal('TargetsSet'),
  data: z.strictObject({
    day: zDay,
    strategy: z.string().min(1),
    symbols: z.array(zSymbol),
    weights: z.array(z.number().min(0).max(1)),
  }),
});

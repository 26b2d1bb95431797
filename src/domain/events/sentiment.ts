import { z } from 'zod';
import { zDay, zSymbol } from './primitives.js';

/*
 * News and forum sentiment as journaled inputs: every score a run used is in its journal (with the
 * text or its id, what scored it and, for the LLM, the request's hash and the raw reply), so a
 * backtest or an audit replay of a past day sees exactly what the live run saw without calling any
 * API again.
 */

const zHex64 = z.string().regex(/^[0-9a-f]{64}$/);
const zScorer = z.enum(['llm', 'lexicon', 'model']);

export const SentimentScored = z.object({
  type: z.literal('SentimentScored'),
  data: z.strictObject({
    /** Where the text came from: a news or comments file, a feed. */
    source: z.string().min(1).max(200),
    /** The item's id in its source, when it has one. */
    itemId: z.string().max(100).nullable(),
    /** The day the text was published (its sentiment is usable from that day's close), and the symbol it is about. */
    day: zDay.nullable(),
    symbol: zSymbol.nullable(),
    textHash: zHex64,
    text: z.string().max(4000),
    scorer: zScorer,
    /** The scorer's model or version: `deepseek-chat@api.deepseek.com`, `lexicon:<hash>`, `model:<hash of the model file>`. */
    model: z.string().min(1).max(200),
    promptVersion: z.string().max(100).nullable(),
    requestHash: zHex64.nullable(),
    rawReply: z.string().max(8192).nullable(),
    score: z.number().min(-1).max(1),
    label: z.enum(['negative', 'neutral', 'positive']),
    confidence: z.number().min(0).max(1),
    latencyMs: z.number().int().nonnegative(),
    /** Set when this score stands in for a failed LLM request: the failure's code. */
    fallbackFor: z.string().max(40).nullable(),
  }),
});

/** An LLM request that gave no usable scores (the fallback scorer's SentimentScored events follow). */
export const SentimentRequestFailed = z.object({
  type: z.literal('SentimentRequestFailed'),
  data: z.strictObject({
    scorer: zScorer,
    model: z.string().min(1).max(200),
    promptVersion: z.string().max(100).nullable(),
    requestHash: zHex64,
    code: z.string().min(1).max(40),
    reason: z.string().min(1).max(1000),
    texts: z.number().int().positive(),
    rawReply: z.string().max(8192).nullable(),
    latencyMs: z.number().int().nonnegative(),
    attempts: z.number().int().nonnegative(),
  }),
});

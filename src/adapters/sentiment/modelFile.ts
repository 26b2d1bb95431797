import { writeFileSync } from 'node:fs';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { z } from 'zod';
import { MODEL_FORMAT, MODEL_VERSION, modelIdOf, serializeModel, SENTIMENT_LABELS, type NgramModel } from '../../domain/sentiment/index.js';
import { fileError, readBytes, type SentimentFileError } from './fileError.js';

const zLabel = z.enum(['negative', 'neutral', 'positive']);
const zModel = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  kind: z.enum(['nb', 'logreg']),
  ngrams: z.tuple([z.number().int().min(1).max(6), z.number().int().min(1).max(6)]),
  normalization: z.literal('nfkc-lower-digits'),
  labels: z.array(zLabel).length(SENTIMENT_LABELS.length),
  params: z.record(z.string(), z.number()),
  trainedOn: z.strictObject({
    rows: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    holdout: z.strictObject({ fraction: z.number().min(0).max(1), seed: z.number().int() }).nullable(),
  }),
  vocabulary: z.array(z.string().min(1)),
  bias: z.array(z.number()),
  weights: z.array(z.array(z.number())),
});

/** Cross-field checks zod cannot state: every class once, one bias and one weight row per class, rows as long as the vocabulary. */
function shapeProblem(m: z.infer<typeof zModel>): string | null {
  if (new Set(m.labels).size !== m.labels.length) return 'labels repeat a class';
  if (m.ngrams[0] > m.ngrams[1]) return 'ngrams: min is above max';
  if (m.bias.length !== m.labels.length || m.weights.length !== m.labels.length) return 'bias and weights need one entry per label';
  const bad = m.weights.findIndex((r) => r.length !== m.vocabulary.length);
  if (bad >= 0) return `weights[${bad}] has ${m.weights[bad]!.length} entries for ${m.vocabulary.length} n-grams`;
  if (new Set(m.vocabulary).size !== m.vocabulary.length) return 'the vocabulary repeats an n-gram';
  return null;
}

export interface LoadedModel {
  readonly path: string;
  readonly model: NgramModel;
  /** `model:<16 hex of the file's sha256>` (ScorerInfo.model). */
  readonly modelId: string;
}

/** Reads and checks a model file written by `ashare sentiment train`. */
export function readModelFile(path: string): Either<SentimentFileError, LoadedModel> {
  const b = readBytes(path);
  if (isLeft(b)) return b;
  const text = b.right.toString('utf8');
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return left(fileError('SENTIMENT_FILE_INVALID', path, null, `not JSON (${(e as Error).message})`)); }
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format !== MODEL_FORMAT) {
    return left(fileError('SENTIMENT_FILE_INVALID', path, null, `not an ${MODEL_FORMAT} file`));
  }
  const p = zModel.safeParse(json);
  if (!p.success) {
    const i = p.error.issues[0]!;
    return left(fileError('SENTIMENT_FILE_INVALID', path, null, `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const problem = shapeProblem(p.data);
  if (problem) return left(fileError('SENTIMENT_FILE_INVALID', path, null, problem));
  return right({ path, model: p.data as NgramModel, modelId: modelIdOf(text) });
}

/** Writes the model's canonical text; returns its id (the same `readModelFile` will report). */
export function writeModelFile(path: string, model: NgramModel): Either<SentimentFileError, { modelId: string; bytes: number }> {
  const text = serializeModel(model);
  try {
    writeFileSync(path, text);
  } catch (e) {
    return left(fileError('SENTIMENT_FILE_WRITE_FAILED', path, null, `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`));
  }
  return right({ modelId: modelIdOf(text), bytes: Buffer.byteLength(text) });
}

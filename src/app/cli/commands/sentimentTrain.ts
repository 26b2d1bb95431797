import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { readLabelledCsv, writeLabelledCsv, writeModelFile, type SentimentFileError } from '../../../adapters/sentiment/index.js';
import { DEFAULT_TRAIN_OPTIONS, SENTIMENT_LABELS, splitHoldout, trainNgramModel, type SentimentLabel } from '../../../domain/sentiment/index.js';
import { AppError, EXIT } from '../../errors.js';
import { parse, printJson } from '../io.js';

const HELP = `
Usage: ashare sentiment train --data FILE.csv --out MODEL.json [--holdout FRACTION [--seed N] [--holdout-out FILE.csv]]
                              [--kind logreg|nb] [--json]

Trains the offline \`model\` sentiment scorer: a linear classifier over character 1–3-grams (softmax
regression by default, or naive Bayes with --kind nb), deterministically — the same data and options give
a byte-identical model file. FILE.csv has a header with columns text and label (labels 0 negative,
1 positive, 2 neutral, or the names; an id column is optional), RFC 4180 quoting.
--holdout keeps a fraction of the rows out of training, chosen by a hash of each text and --seed
(default 1), so the split is reproducible; --holdout-out writes exactly those rows (same layout) for
\`ashare sentiment eval\`. Prints {rows, classes, heldOut, model, out}; model is the id journaled with
every score (model:<16 hex of the file's sha256>).`;

/** An adapter's file error as the CLI's one sentence and exit code (3: bad input). */
export function orFail<T>(r: Either<SentimentFileError, T>): T {
  if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.badInput);
  return r.right;
}

export function classCounts(labels: readonly SentimentLabel[]): Record<SentimentLabel, number> {
  const c: Record<SentimentLabel, number> = { negative: 0, neutral: 0, positive: 0 };
  for (const l of labels) c[l]++;
  return c;
}

export async function sentimentTrainCommand(argv: string[]): Promise<number> {
  const a = parse(argv, {
    data: { type: 'string' }, out: { type: 'string' }, holdout: { type: 'string' }, seed: { type: 'string' },
    'holdout-out': { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' },
  }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (a.positionals.length > 0) throw new AppError('USAGE', `unexpected argument ${JSON.stringify(a.positionals[0])} (see --help)`, EXIT.usage);
  if (typeof v.data !== 'string' || typeof v.out !== 'string') throw new AppError('USAGE', 'train needs --data FILE.csv and --out MODEL.json', EXIT.usage);
  const fraction = v.holdout === undefined ? 0 : Number(v.holdout);
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction < 1) || (typeof v.holdout === 'string' && v.holdout.trim() === '')) {
    throw new AppError('USAGE', `--holdout takes a fraction in [0, 1), got ${JSON.stringify(v.holdout)}`, EXIT.usage);
  }
  const seed = v.seed === undefined ? 1 : Number(v.seed);
  if (!Number.isSafeInteger(seed) || (typeof v.seed === 'string' && v.seed.trim() === '')) throw new AppError('USAGE', `--seed takes an integer, got ${JSON.stringify(v.seed)}`, EXIT.usage);
  if (v['holdout-out'] !== undefined && fraction === 0) throw new AppError('USAGE', '--holdout-out needs --holdout FRACTION above 0', EXIT.usage);
  const kind = v.kind ?? DEFAULT_TRAIN_OPTIONS.kind;
  if (kind !== 'logreg' && kind !== 'nb') throw new AppError('USAGE', `--kind takes logreg or nb, got ${JSON.stringify(kind)}`, EXIT.usage);

  const data = orFail(readLabelledCsv(v.data));
  const { train, holdout } = splitHoldout(data.rows, (r) => r.text, fraction, seed);
  const counts = classCounts(train.map((r) => r.label));
  const missing = SENTIMENT_LABELS.filter((l) => counts[l] === 0);
  if (missing.length > 0) throw new AppError('SENTIMENT_FILE_INVALID', `${v.data}: the training rows have no ${missing.join(', ')} examples; every class needs some`, EXIT.badInput);
  const model = trainNgramModel(train, { rows: train.length, sha256: data.sha256, holdout: fraction > 0 ? { fraction, seed } : null }, { kind });
  const written = orFail(writeModelFile(v.out, model));
  if (typeof v['holdout-out'] === 'string') orFail(writeLabelledCsv(v['holdout-out'], holdout));

  const summary = {
    rows: train.length, classes: counts, heldOut: holdout.length, model: written.modelId, out: v.out,
    holdoutOut: v['holdout-out'] ?? null, kind, vocabulary: model.vocabulary.length, bytes: written.bytes,
  };
  if (v.json) printJson(summary);
  else {
    process.stdout.write(`trained ${kind} on ${train.length} rows (negative ${counts.negative}, neutral ${counts.neutral}, positive ${counts.positive})`
      + `${holdout.length > 0 ? `, ${holdout.length} held out` : ''}; ${model.vocabulary.length} n-grams\n`
      + `wrote ${v.out} (${(written.bytes / 1e6).toFixed(2)} MB) as ${written.modelId}\n`
      + (typeof v['holdout-out'] === 'string' ? `wrote the held-out rows to ${v['holdout-out']}\n` : ''));
  }
  return EXIT.ok;
}

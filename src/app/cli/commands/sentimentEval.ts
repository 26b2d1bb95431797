import { join } from 'node:path';
import { FIXTURE_LEXICON_DIR, openLexiconScorer, openModelScorer, readLabelledCsv } from '../../../adapters/sentiment/index.js';
import { evaluateLabels, SENTIMENT_LABELS, type EvalMetrics, type SentimentLabel, type SentimentScorer } from '../../../domain/sentiment/index.js';
import { AppError, EXIT } from '../../errors.js';
import { llmLimitOptions } from '../../sentiment/llmFromOptions.js';
import { parse, printJson } from '../io.js';
import { orFail } from './sentimentTrain.js';

const HELP = `
Usage: ashare sentiment eval --data FILE.csv --scorer lexicon|model|llm [--model F] [--lexicons DIR]
                             [--lists STEM,…] [--limit N] [--json]
                             [--base-url URL] [--llm-model NAME] [--api-key-env NAME | --api-key-file F] [--timeout-ms N] [--retries N] [--config FILE]

Scores every text of a labelled CSV (columns text and label: 0 negative, 1 positive, 2 neutral, or the
names) and compares the scorer's labels with the file's. Prints {n, accuracy, macroF1, perClass:
{negative|neutral|positive: {precision, recall, f1, support}}, confusion: {true: {predicted: count}}}
and the scorer's id. macroF1 averages the classes present in the truth or the predictions.
--scorer model needs --model (from \`ashare sentiment train\`); --scorer lexicon reads the word lists in
--lexicons DIR (default $ASHARE_FIXTURES_DIR/${FIXTURE_LEXICON_DIR}): every *_positive.txt and *_negative.txt,
or only the lists named by --lists (e.g. yao2021_informal for forum text). --limit scores only the first N rows.
--base-url, --llm-model, --api-key-env, --api-key-file, --timeout-ms (per request, a positive integer, default
20000), --retries (0 to 10, default 2) and --config are for the llm scorer.`;

/** Builds the llm scorer from eval's parsed flags (wired by the application; eval itself makes no requests). */
export type LlmScorerFactory = (values: Readonly<Record<string, string | boolean | undefined>>) => Promise<SentimentScorer>;

/** Texts per `score` call: keeps memory flat and lets a batching scorer (llm) pace itself. */
const CHUNK = 1_000;

export interface SentimentEvalResult extends EvalMetrics {
  readonly scorer: string;
  readonly model: string;
}

function lexiconDir(flag: unknown): string {
  if (typeof flag === 'string') return flag;
  const fx = process.env.ASHARE_FIXTURES_DIR;
  if (fx) return join(fx, FIXTURE_LEXICON_DIR);
  throw new AppError('USAGE', `--scorer lexicon needs --lexicons DIR (or ASHARE_FIXTURES_DIR, whose ${FIXTURE_LEXICON_DIR} is the default)`, EXIT.usage);
}

const f4 = (x: number): string => x.toFixed(4);

function printHuman(r: SentimentEvalResult): void {
  const L = SENTIMENT_LABELS;
  const lines = [
    `${r.n} rows, scorer ${r.scorer} (${r.model})`,
    `accuracy ${f4(r.accuracy)}  macro-F1 ${f4(r.macroF1)}`,
    `${'class'.padEnd(9)} precision recall  f1      support`,
    ...L.map((c) => `${c.padEnd(9)} ${f4(r.perClass[c].precision).padEnd(9)} ${f4(r.perClass[c].recall).padEnd(7)} ${f4(r.perClass[c].f1).padEnd(7)} ${r.perClass[c].support}`),
    `confusion (rows: true label, columns: predicted)`,
    `${''.padEnd(9)} ${L.map((c) => c.padStart(9)).join(' ')}`,
    ...L.map((t) => `${t.padEnd(9)} ${L.map((p) => String(r.confusion[t][p]).padStart(9)).join(' ')}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export async function sentimentEvalCommand(argv: string[], llmFactory?: LlmScorerFactory): Promise<number> {
  const a = parse(argv, {
    data: { type: 'string' }, scorer: { type: 'string' }, model: { type: 'string' }, lexicons: { type: 'string' }, lists: { type: 'string' }, limit: { type: 'string' },
    'base-url': { type: 'string' }, 'llm-model': { type: 'string' },
    'api-key-env': { type: 'string' }, 'api-key-file': { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' },
    ...llmLimitOptions,
  }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (a.positionals.length > 0) throw new AppError('USAGE', `unexpected argument ${JSON.stringify(a.positionals[0])} (see --help)`, EXIT.usage);
  if (typeof v.data !== 'string') throw new AppError('USAGE', 'eval needs --data FILE.csv', EXIT.usage);
  const which = v.scorer;
  if (which !== 'lexicon' && which !== 'model' && which !== 'llm') throw new AppError('USAGE', `--scorer takes lexicon, model or llm, got ${JSON.stringify(which)}`, EXIT.usage);
  const limit = v.limit === undefined ? Infinity : Number(v.limit);
  if (!(limit === Infinity || (Number.isSafeInteger(limit) && limit > 0))) throw new AppError('USAGE', `--limit takes a positive integer, got ${JSON.stringify(v.limit)}`, EXIT.usage);

  let scorer: SentimentScorer;
  if (which === 'model') {
    if (typeof v.model !== 'string') throw new AppError('USAGE', '--scorer model needs --model MODEL.json', EXIT.usage);
    scorer = orFail(openModelScorer(v.model));
  } else if (which === 'lexicon') {
    const only = typeof v.lists === 'string' ? v.lists.split(',').map((x) => x.trim()).filter((x) => x !== '') : undefined;
    if (only !== undefined && only.length === 0) throw new AppError('USAGE', '--lists takes comma-separated list stems (e.g. yao2021_informal)', EXIT.usage);
    scorer = orFail(openLexiconScorer(lexiconDir(v.lexicons), only));
  } else {
    if (!llmFactory) throw new AppError('USAGE', 'llm eval needs the llm scorer, which this build of the command was not given', EXIT.usage);
    scorer = await llmFactory(v);
  }
  const data = orFail(readLabelledCsv(v.data));
  const rows = data.rows.slice(0, limit);
  const predicted: SentimentLabel[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const scores = await scorer.score(chunk.map((r) => r.text));
    if (scores.length !== chunk.length) throw new AppError('SCORER_BROKEN', `the ${scorer.info.scorer} scorer answered ${scores.length} scores for ${chunk.length} texts`, EXIT.internal);
    for (const s of scores) predicted.push(s.label);
  }
  const result: SentimentEvalResult = { ...evaluateLabels(rows.map((r) => r.label), predicted), scorer: scorer.info.scorer, model: scorer.info.model };
  if (v.json) printJson(result);
  else printHuman(result);
  return EXIT.ok;
}

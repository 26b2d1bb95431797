import { basename, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { openLexiconScorer, openModelScorer } from '../../../adapters/sentiment/index.js';
import type { SentimentScorer } from '../../../domain/index.js';
import { AppError, EXIT } from '../../errors.js';
import { readSentimentItems } from '../../sentiment/items.js';
import { armAirgapFromConfig, llmLimitOptions, llmLimitsFrom, llmScorerFrom } from '../../sentiment/llmFromOptions.js';
import { scoreItems } from '../../sentiment/scoreItems.js';
import { journalScores, readKnownScores } from '../../sentiment/sentimentJournal.js';
import { keyFrom, keyOptions, packageRoot, parse } from '../io.js';
import { sentimentEvalCommand } from './sentimentEval.js';
import { sentimentTrainCommand } from './sentimentTrain.js';

const HELP = `
Usage: ashare sentiment score --input FILE.csv --scorer llm|lexicon|model [--model F] [--lexicons DIR]
                              [--base-url URL] [--llm-model NAME] [--api-key-env NAME | --api-key-file F] [--timeout-ms N] [--retries N]
                              [--fallback lexicon|model] [--journal PATH] [--key-file F] [--config F] [--fresh] [--json]
       ashare sentiment train --data FILE.csv --out MODEL.json [--holdout F --holdout-out FILE] [--json]
       ashare sentiment eval --data FILE.csv --scorer lexicon|model|llm [--model F] [--lexicons DIR] [--timeout-ms N] [--retries N] --json

score: every text of the input (columns id,date,symbol,text; only text is required) is scored and
journaled (SentimentScored, or SentimentRequestFailed then the fallback's scores) in the sentiment
journal (default journal/sentiment.sqlite). A text already scored there by the same scorer, model and
prompt version is reused without a request (--fresh scores it again). llm: an OpenAI-compatible API
(default DeepSeek, ${'https://api.deepseek.com'}, deepseek-chat); the key is read from DEEPSEEK_API_KEY
(or --api-key-env / --api-key-file) and never printed or journaled; without a key, or when the API
fails, the fallback (--fallback, default model when --model is given, else lexicon) answers.
--timeout-ms: how long one request may take, headers and body (a positive integer, default 20000);
--retries: how often a 429, 5xx, timeout or failed connection is tried again (0 to 10, default 2).
--config: the run config whose air gap applies (inside its window the API is not reached).
--json prints one line per item {id, score, label, scorer} then {n, scored, fallbacks, requests, reused}.`;

const scoreOptions = {
  input: { type: 'string' }, scorer: { type: 'string' }, model: { type: 'string' }, lexicons: { type: 'string' },
  'base-url': { type: 'string' }, 'llm-model': { type: 'string' }, 'api-key-env': { type: 'string' }, 'api-key-file': { type: 'string' },
  fallback: { type: 'string' }, journal: { type: 'string' }, config: { type: 'string' }, fresh: { type: 'boolean' }, json: { type: 'boolean' },
  ...llmLimitOptions, ...keyOptions,
} as const;

export async function sentimentCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'score') return scoreCommand(rest);
  if (sub === 'train') return sentimentTrainCommand(rest);
  if (sub === 'eval') return sentimentEvalCommand(rest, async (v) => llmAsScorer(v));
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(HELP.trim() + '\n');
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  throw new AppError('USAGE', `unknown sentiment command ${JSON.stringify(sub)} (score, train or eval; see ashare sentiment --help)`, EXIT.usage);
}

/** The offline scorer named by --scorer/--fallback: the n-gram model (--model) or the lexicons (--lexicons, default the fixtures'). */
function offlineScorer(kind: string, model: string | undefined, lexicons: string | undefined): SentimentScorer {
  if (kind === 'model') {
    if (!model) throw new AppError('USAGE', 'the model scorer needs --model MODEL.json (see ashare sentiment train)', EXIT.usage);
    const s = openModelScorer(model);
    if (isLeft(s)) throw new AppError(s.left.code, s.left.message, EXIT.badInput);
    return s.right;
  }
  if (kind === 'lexicon') {
    const dir = lexicons ?? (process.env['ASHARE_FIXTURES_DIR'] ? resolve(process.env['ASHARE_FIXTURES_DIR'], 'cn_fin_sentiment_lexicons') : undefined);
    if (!dir) throw new AppError('USAGE', 'the lexicon scorer needs --lexicons DIR (the Jiang 2020 and Yao 2021 word lists)', EXIT.usage);
    const s = openLexiconScorer(dir);
    if (isLeft(s)) throw new AppError(s.left.code, s.left.message, EXIT.badInput);
    return s.right;
  }
  throw new AppError('USAGE', `--scorer/--fallback ${JSON.stringify(kind)}: use llm, lexicon or model`, EXIT.usage);
}

/** The LLM as a plain scorer (for eval): a batch it cannot score counts as neutral, and is said on stderr. */
function llmAsScorer(v: Readonly<Record<string, string | boolean | undefined>>): SentimentScorer {
  const limits = llmLimitsFrom(v);
  armAirgapFromConfig(str(v['config']), Date.now(), packageRoot()); // allow-nondeterminism: the air gap as it is now
  const llm = llmScorerFrom({ baseUrl: str(v['base-url']), model: str(v['llm-model']), keyEnv: str(v['api-key-env']), keyFile: str(v['api-key-file']), ...limits, env: process.env });
  return {
    info: llm.info,
    async score(texts) {
      const out = [];
      for (const b of await llm.scoreBatches(texts)) {
        if (b.outcome.ok) out.push(...b.outcome.scores);
        else {
          process.stderr.write(`ashare sentiment eval: a batch of ${b.texts.length} failed (${b.outcome.code}): scored neutral\n`);
          out.push(...b.texts.map(() => ({ score: 0, label: 'neutral' as const, confidence: 0 })));
        }
      }
      return out;
    },
  };
}

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

async function scoreCommand(argv: string[]): Promise<number> {
  const a = parse(argv, scoreOptions, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.input !== 'string') throw new AppError('USAGE', 'sentiment score needs --input FILE.csv (see --help)', EXIT.usage);
  const scorer = v.scorer ?? 'llm';
  if (!['llm', 'lexicon', 'model'].includes(scorer)) throw new AppError('USAGE', `--scorer ${JSON.stringify(scorer)}: use llm, lexicon or model`, EXIT.usage);
  const limits = llmLimitsFrom(v);
  const items = readSentimentItems(v.input);
  const now = Date.now(); // allow-nondeterminism: app layer, when the scores were made
  const armed = armAirgapFromConfig(v.config, now, packageRoot());
  const offline = offlineScorer(scorer === 'llm' ? (v.fallback ?? (v.model ? 'model' : 'lexicon')) : scorer, v.model, v.lexicons);
  const llm = scorer === 'llm' ? llmScorerFrom({ baseUrl: v['base-url'], model: v['llm-model'], keyEnv: v['api-key-env'], keyFile: v['api-key-file'], ...limits, env: process.env }) : null;
  const key = keyFrom(v);
  const journal = resolve(v.journal ?? 'journal/sentiment.sqlite');
  const known = await readKnownScores(journal, key);
  const r = await scoreItems(items, { source: basename(v.input), llm, offline, known, fresh: v.fresh === true });
  await journalScores(journal, key, r.events, now);
  if (v.json) {
    for (const x of r.items) process.stdout.write(JSON.stringify({ id: x.item.id, score: x.scored.score, label: x.scored.label, scorer: x.scored.scorer }) + '\n');
    process.stdout.write(JSON.stringify(r.summary) + '\n');
  } else {
    for (const x of r.items) process.stdout.write(`${(x.item.id ?? '').padEnd(12)} ${x.scored.score.toFixed(3).padStart(6)} ${x.scored.label.padEnd(8)} ${x.scored.scorer}${x.reused ? ' (journaled)' : ''}${x.scored.fallbackFor ? ` (fallback: ${x.scored.fallbackFor})` : ''}  ${x.item.text.slice(0, 40)}\n`);
    process.stdout.write(`${r.summary.n} item(s): ${r.summary.scored} scored, ${r.summary.reused} from the journal, ${r.summary.fallbacks} by the fallback, ${r.summary.requests} request(s); journal ${journal}${armed ? '; the air gap is armed (the API is not reachable)' : ''}\n`);
  }
  return EXIT.ok;
}

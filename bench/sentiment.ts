/**
 * Throughput of the offline sentiment scorers (BENCH=SENT): texts/s of the lexicon and the n-gram
 * model scorers on the 20,582 Chinese financial headlines of
 * $ASHARE_FIXTURES_DIR/cn_fin_headlines_market_labeled/CH.csv.gz (texts only: its labels are market
 * moves, not sentiment), the model first trained on the labelled stock comments. Each figure comes with
 * its ratio to a baseline run in the same process — a loop that only reads every character of every
 * text — so machines can be compared. Skipped, with the reason, when ASHARE_FIXTURES_DIR is unset.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { lexiconScorer, loadLexiconDir, modelScorer, readLabelledCsv, readTextColumn } from '../src/adapters/sentiment/index.js';
import { modelIdOf, serializeModel, trainNgramModel, type SentimentLabel, type SentimentScorer } from '../src/domain/sentiment/index.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const need = <T>(r: Either<{ message: string }, T>): T => { if (isLeft(r)) throw new Error(r.left.message); return r.right; };

/** Runs `pass` over the texts until at least `minSeconds` have gone by (after one warm-up pass); texts per second. */
async function rate(texts: readonly string[], pass: () => unknown, minSeconds = 1): Promise<number> {
  await pass();
  global.gc?.();
  let n = 0;
  const t0 = process.hrtime.bigint();
  do { await pass(); n += texts.length; } while (secs(t0) < minSeconds);
  return n / secs(t0);
}

/** Sums the UTF-16 code units of every text. */
function charLoop(texts: readonly string[]): number {
  let acc = 0;
  for (let k = 0; k < texts.length; k++) {
    const t = texts[k]!;
    for (let i = 0; i < t.length; i++) acc = (acc + t.charCodeAt(i)) | 0;
  }
  return acc;
}

export async function benchSentiment(): Promise<void> {
  const fx = process.env.ASHARE_FIXTURES_DIR;
  if (!fx) { console.log('sentiment skipped: ASHARE_FIXTURES_DIR is unset (needs cn_fin_headlines_market_labeled, stock_comments_sentiment_stocksentcn, cn_fin_sentiment_lexicons)'); return; }
  const headlinesPath = join(fx, 'cn_fin_headlines_market_labeled', 'CH.csv.gz');
  const commentsPath = join(fx, 'stock_comments_sentiment_stocksentcn', '000001_comments_labeled.csv');
  const lexDir = join(fx, 'cn_fin_sentiment_lexicons');
  const missing = [headlinesPath, commentsPath, lexDir].filter((p) => !existsSync(p));
  if (missing.length > 0) { console.log(`sentiment skipped: missing ${missing.join(', ')}`); return; }

  const texts = need(readTextColumn(headlinesPath, 'Text'));
  const comments = need(readLabelledCsv(commentsPath));
  const t0 = process.hrtime.bigint();
  const model = trainNgramModel(comments.rows, { rows: comments.rows.length, sha256: comments.sha256, holdout: null });
  const trainSeconds = secs(t0);
  const modelText = serializeModel(model);
  const lex = need(loadLexiconDir(lexDir));
  const scorers: SentimentScorer[] = [lexiconScorer(lex.lexicon, lex.modelId), modelScorer(model, modelIdOf(modelText))];

  // Baseline: touch every character of every text (what any scorer must at least do).
  let sink = 0;
  const base = await rate(texts, () => { sink ^= charLoop(texts); });
  if (sink === 0.5) console.log(''); // keeps the loop's result observable
  const chars = texts.reduce((a, t) => a + t.length, 0);
  console.log(`sentiment ${fmt(texts.length)} headlines (${(chars / texts.length).toFixed(1)} chars on average); model trained on ${fmt(comments.rows.length)} comments in ${trainSeconds.toFixed(2)} s (${model.kind}, ${fmt(model.vocabulary.length)} n-grams, ${(modelText.length / 1e6).toFixed(2)} MB); baseline char loop ${fmt(base)} texts/s`);
  for (const s of scorers) {
    const r = await rate(texts, () => s.score(texts));
    const labels = new Map<SentimentLabel, number>();
    let unscored = 0;
    for (const x of await s.score(texts)) { labels.set(x.label, (labels.get(x.label) ?? 0) + 1); if (x.confidence === 0) unscored++; }
    const share = (l: SentimentLabel) => `${l} ${((100 * (labels.get(l) ?? 0)) / texts.length).toFixed(1)}%`;
    console.log(`sentiment ${s.info.scorer.padEnd(7)} ${fmt(r)} texts/s (${(base / r).toFixed(0)}× the baseline's time per text); ${s.info.model}; labels on the headlines: ${share('negative')}, ${share('neutral')}, ${share('positive')}${s.info.scorer === 'lexicon' ? `; no lexicon word in ${((100 * unscored) / texts.length).toFixed(1)}%` : ''}`);
  }
}

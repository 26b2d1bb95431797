/*
 * Training of the character n-gram model (see ngramModel.ts): the vocabulary (document frequency,
 * bounded), then naive Bayes or softmax regression. Deterministic: maps are visited in sorted order,
 * SGD visits rows in an order fixed by hashes, and weights are rounded to six decimals.
 */
import { sha256Hex } from '../hash.js';
import {
  byCodeUnits, MODEL_FORMAT, MODEL_VERSION, ngramsOf, softmaxInPlace,
  type LabelledText, type NgramModel, type ModelKind, type TrainedOn,
} from './ngramModel.js';
import { SENTIMENT_LABELS } from './scorer.js';

export interface TrainOptions {
  readonly kind: ModelKind;
  /** Shortest and longest n-gram in characters (code points). */
  readonly ngrams: readonly [number, number];
  /** An n-gram must occur in at least this many training texts to enter the vocabulary. */
  readonly minCount: number;
  /** Upper bound on the vocabulary (highest document frequency first, ties by code-unit order). */
  readonly maxFeatures: number;
  /** naive Bayes: additive (Lidstone) smoothing. */
  readonly alpha: number;
  /** logreg: passes over the data, initial learning rate, L2 penalty per update. */
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  kind: 'logreg', ngrams: [1, 3], minCount: 2, maxFeatures: 200_000, alpha: 0.5, epochs: 12, learningRate: 0.5, l2: 1e-6,
};

/** Six decimals: keeps the file small; the trained model is the rounded one, so saving and loading change nothing. */
const round6 = (x: number): number => {
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
};

function buildVocabulary(docs: readonly string[][], o: TrainOptions): string[] {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of d) df.set(g, (df.get(g) ?? 0) + 1);
  let kept = [...df].filter(([, n]) => n >= o.minCount);
  if (kept.length > o.maxFeatures) {
    kept.sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]));
    kept = kept.slice(0, o.maxFeatures);
  }
  return kept.map(([g]) => g).sort(byCodeUnits);
}

/** Multinomial NB over binarised n-grams: weight = log P(gram | class) with Lidstone smoothing, bias = log prior. */
function fitNaiveBayes(x: readonly Int32Array[], y: readonly number[], nf: number, nc: number, alpha: number) {
  const counts = Array.from({ length: nc }, () => new Float64Array(nf));
  const docs = new Float64Array(nc);
  for (let i = 0; i < x.length; i++) {
    const c = y[i]!;
    docs[c]!++;
    for (const f of x[i]!) counts[c]![f]!++;
  }
  const bias = Array.from(docs, (d) => Math.log(d / x.length));
  const weights = counts.map((row) => {
    let total = 0;
    for (const v of row) total += v;
    const denom = Math.log(total + alpha * nf);
    return Array.from(row, (v) => Math.log(v + alpha) - denom);
  });
  return { bias, weights };
}

/** The fixed visiting order of epoch `e`: rows sorted by sha256(e, index) — a shuffle without a random source. */
function epochOrder(n: number, e: number): Int32Array {
  const keys = Array.from({ length: n }, (_, i) => ({ i, k: sha256Hex(`${e}:${i}`).slice(0, 12) }));
  keys.sort((a, b) => byCodeUnits(a.k, b.k) || a.i - b.i);
  return Int32Array.from(keys, (k) => k.i);
}

/** Softmax regression by plain SGD with a 1/(1+t) decaying step; L2 applied to the weights a row touches. */
function fitLogReg(x: readonly Int32Array[], y: readonly number[], nf: number, nc: number, o: TrainOptions) {
  const w = Array.from({ length: nc }, () => new Float64Array(nf));
  const b = new Float64Array(nc);
  const z = new Float64Array(nc);
  for (let e = 0; e < o.epochs; e++) {
    const lr = o.learningRate / (1 + e);
    for (const i of epochOrder(x.length, e)) {
      const fs = x[i]!;
      for (let c = 0; c < nc; c++) {
        let s = b[c]!;
        const wc = w[c]!;
        for (const f of fs) s += wc[f]!;
        z[c] = s;
      }
      softmaxInPlace(z);
      for (let c = 0; c < nc; c++) {
        const g = z[c]! - (y[i] === c ? 1 : 0);
        const wc = w[c]!;
        for (const f of fs) wc[f] = wc[f]! - lr * (g + o.l2 * wc[f]!);
        b[c] = b[c]! - lr * g;
      }
    }
  }
  return { bias: Array.from(b), weights: w.map((r) => Array.from(r)) };
}

/** Trains a model on the rows in the order given. Throws on no rows or a class with no examples (a broken input, not an expected state). */
export function trainNgramModel(rows: readonly LabelledText[], trainedOn: TrainedOn, options: Partial<TrainOptions> = {}): NgramModel {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const [minN, maxN] = o.ngrams;
  if (!(Number.isInteger(minN) && Number.isInteger(maxN) && minN >= 1 && maxN >= minN && maxN <= 6)) throw new RangeError(`ngrams must be 1 ≤ min ≤ max ≤ 6, got [${minN}, ${maxN}]`);
  const labels = SENTIMENT_LABELS;
  const missing = labels.filter((l) => !rows.some((r) => r.label === l));
  if (missing.length > 0) throw new RangeError(`training data has no ${missing.join(', ')} rows`);
  const docs = rows.map((r) => ngramsOf(r.text, minN, maxN));
  const vocabulary = buildVocabulary(docs, o);
  const index = new Map(vocabulary.map((g, i) => [g, i] as const));
  const x = docs.map((d) => Int32Array.from(d.flatMap((g) => { const f = index.get(g); return f === undefined ? [] : [f]; })).sort());
  const y = rows.map((r) => labels.indexOf(r.label));
  const fit = o.kind === 'nb' ? fitNaiveBayes(x, y, vocabulary.length, labels.length, o.alpha) : fitLogReg(x, y, vocabulary.length, labels.length, o);
  const params: Record<string, number> = o.kind === 'nb'
    ? { minCount: o.minCount, maxFeatures: o.maxFeatures, alpha: o.alpha }
    : { minCount: o.minCount, maxFeatures: o.maxFeatures, epochs: o.epochs, learningRate: o.learningRate, l2: o.l2 };
  return {
    format: MODEL_FORMAT, version: MODEL_VERSION, kind: o.kind, ngrams: [minN, maxN], normalization: 'nfkc-lower-digits',
    labels: [...labels], params, trainedOn,
    vocabulary, bias: fit.bias.map(round6), weights: fit.weights.map((r) => r.map(round6)),
  };
}


/*
 * The offline `model` scorer: a linear classifier over character n-grams, trained here in plain
 * TypeScript. Chinese has no spaces, so characters and their short runs are the features (no word
 * segmentation). Two trainers produce the same kind of file (a vocabulary, a bias and one weight per
 * class and n-gram): multinomial naive Bayes over binarised n-grams (Wang & Manning 2012, "Baselines
 * and bigrams"), and softmax (multinomial logistic) regression fitted by SGD in a fixed, hash-defined
 * order. Nothing is random: the same rows and options give byte-identical model files.
 */
import { sha256Hex } from '../hash.js';
import { SENTIMENT_LABELS, type SentimentLabel, type SentimentScore } from './scorer.js';

export const MODEL_FORMAT = 'ashare-sentiment-model';
export const MODEL_VERSION = 1;

export type ModelKind = 'nb' | 'logreg';

export interface LabelledText {
  readonly text: string;
  readonly label: SentimentLabel;
}

/** What the model was trained on: rows used, the data file's sha256, and the held-out split if any. */
export interface TrainedOn {
  readonly rows: number;
  readonly sha256: string;
  readonly holdout: { readonly fraction: number; readonly seed: number } | null;
}

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

/** The model file's content. `weights[c][f]` belongs to `labels[c]` and `vocabulary[f]`. */
export interface NgramModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly kind: ModelKind;
  readonly ngrams: readonly [number, number];
  /** Text normalisation applied before n-grams are cut (see `normalizeText`). */
  readonly normalization: 'nfkc-lower-digits';
  readonly labels: readonly SentimentLabel[];
  readonly params: Readonly<Record<string, number>>;
  readonly trainedOn: TrainedOn;
  readonly vocabulary: readonly string[];
  readonly bias: readonly number[];
  readonly weights: readonly (readonly number[])[];
}

/** NFKC (full-width letters and digits to ASCII), lower case, every digit to 0 (prices and counts vary, their shape matters), whitespace runs to one space. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[0-9]/g, '0').replace(/\s+/g, ' ').trim();
}

/** The distinct n-grams of a text (code points, so a surrogate pair is one character), in first-seen order. */
export function ngramsOf(text: string, minN: number, maxN: number): string[] {
  const cs = Array.from(normalizeText(text));
  const seen = new Set<string>();
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= cs.length; i++) {
      let g = cs[i]!;
      for (let k = 1; k < n; k++) g += cs[i + k]!;
      seen.add(g);
    }
  }
  return [...seen];
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
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
  let t = 0;
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
      t++;
    }
  }
  return { bias: Array.from(b), weights: w.map((r) => Array.from(r)) };
}

function softmaxInPlace(z: Float64Array): void {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  let s = 0;
  for (let c = 0; c < z.length; c++) { z[c] = Math.exp(z[c]! - m); s += z[c]!; }
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / s;
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

/** The model file's bytes: fixed key order, one top-level member per line, a final newline. Same model → same text. */
export function serializeModel(m: NgramModel): string {
  const members: [string, unknown][] = [
    ['format', m.format], ['version', m.version], ['kind', m.kind], ['ngrams', m.ngrams], ['normalization', m.normalization],
    ['labels', m.labels], ['params', sortedObject(m.params)],
    ['trainedOn', { rows: m.trainedOn.rows, sha256: m.trainedOn.sha256, holdout: m.trainedOn.holdout && { fraction: m.trainedOn.holdout.fraction, seed: m.trainedOn.holdout.seed } }],
    ['vocabulary', m.vocabulary], ['bias', m.bias], ['weights', m.weights],
  ];
  return `{\n${members.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
}

const sortedObject = (o: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.keys(o).sort(byCodeUnits).map((k) => [k, o[k]!]));

/** `model:<first 16 hex of sha256 over the model file's bytes>` — journaled with every score. */
export const modelIdOf = (fileText: string): string => `model:${sha256Hex(fileText).slice(0, 16)}`;

/** A model ready to score: n-gram → row of per-class weights. */
export interface CompiledModel {
  readonly model: NgramModel;
  readonly index: ReadonlyMap<string, number>;
  /** weights laid out feature-major: `flat[f * classes + c]`. */
  readonly flat: Float64Array;
  readonly classes: number;
}

export function compileModel(m: NgramModel): CompiledModel {
  const nc = m.labels.length;
  const flat = new Float64Array(m.vocabulary.length * nc);
  for (let c = 0; c < nc; c++) {
    const row = m.weights[c]!;
    for (let f = 0; f < row.length; f++) flat[f * nc + c] = row[f]!;
  }
  return { model: m, index: new Map(m.vocabulary.map((g, i) => [g, i] as const)), flat, classes: nc };
}

/** Class probabilities of one text, in `model.labels` order. */
export function classProbabilities(cm: CompiledModel, text: string): Float64Array {
  const { model, index, flat, classes } = cm;
  const z = Float64Array.from(model.bias);
  for (const g of ngramsOf(text, model.ngrams[0], model.ngrams[1])) {
    const f = index.get(g);
    if (f === undefined) continue;
    const o = f * classes;
    for (let c = 0; c < classes; c++) z[c] = z[c]! + flat[o + c]!;
  }
  softmaxInPlace(z);
  return z;
}

/** score = P(positive) − P(negative); label = the most probable class (first in `labels` order on a tie); confidence = its probability. */
export function scoreWithModel(cm: CompiledModel, text: string): SentimentScore {
  const p = classProbabilities(cm, text);
  const labels = cm.model.labels;
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  const prob = (l: SentimentLabel) => { const i = labels.indexOf(l); return i < 0 ? 0 : p[i]!; };
  const score = Math.max(-1, Math.min(1, prob('positive') - prob('negative')));
  return { score, label: labels[best]!, confidence: p[best]! };
}

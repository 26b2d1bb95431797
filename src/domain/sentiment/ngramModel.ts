/*
 * The offline `model` scorer: a linear classifier over character n-grams, trained in plain
 * TypeScript (ngramTrain.ts); this module holds the file's shape, the features and the scoring. Chinese has no spaces, so characters and their short runs are the features (no word
 * segmentation). Two trainers produce the same kind of file (a vocabulary, a bias and one weight per
 * class and n-gram): multinomial naive Bayes over binarised n-grams (Wang & Manning 2012, "Baselines
 * and bigrams"), and softmax (multinomial logistic) regression fitted by SGD in a fixed, hash-defined
 * order. Nothing is random: the same rows and options give byte-identical model files.
 */
import { sha256Hex } from '../hash.js';
import type { SentimentLabel, SentimentScore } from './scorer.js';

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

const SURROGATE = /[\uD800-\uDFFF]/;

/** The distinct n-grams of a text (code points, so a surrogate pair is one character), in first-seen order. */
export function ngramsOf(text: string, minN: number, maxN: number): string[] {
  const s = normalizeText(text);
  const seen = new Set<string>();
  if (!SURROGATE.test(s)) {
    // The common case (no character outside the BMP): code units are characters, slices are n-grams.
    for (let n = minN; n <= maxN; n++) for (let i = 0; i + n <= s.length; i++) seen.add(s.slice(i, i + n));
    return [...seen];
  }
  const cs = Array.from(s);
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= cs.length; i++) {
      let g = cs[i]!;
      for (let k = 1; k < n; k++) g += cs[i + k]!;
      seen.add(g);
    }
  }
  return [...seen];
}

export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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

/** Replaces logits by their softmax (max-shifted, so large logits do not overflow). */
export function softmaxInPlace(z: Float64Array): void {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  let s = 0;
  for (let c = 0; c < z.length; c++) { z[c] = Math.exp(z[c]! - m); s += z[c]!; }
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / s;
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

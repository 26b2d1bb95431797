/*
 * The offline `lexicon` scorer: financial sentiment word lists (Jiang, Meng & Tang 2020/2021; Yao,
 * Feng, Wang, Ji & Zhang 2021) matched in unsegmented Chinese by forward maximum matching, with
 * negation and degree words. The lists come from files the adapter reads; this module only builds the
 * matcher and scores, so it stays pure.
 */
import { sha256Hex } from '../hash.js';
import { labelOf, type SentimentScore } from './scorer.js';

/*
 * Negation and degree words are NOT part of either published lexicon (those are plain word lists).
 * These follow common practice in lexicon-based Chinese sentiment analysis: negators flip the polarity
 * of the next sentiment word; degree adverbs are grouped in the six intensity levels of HowNet's
 * degree-word list (极其/most, 很/very, 较/more, 稍/-ish, 欠/insufficiently, 超/over). The words below are
 * a hand-picked selection of frequent ones, and the multipliers are round numbers commonly used in such
 * code — neither was fitted to data.
 */
export const NEGATION_WORDS: readonly string[] = [
  '不', '没', '没有', '未', '无', '非', '别', '莫', '勿', '毋', '弗', '否', '休',
  '毫无', '并非', '不是', '并不', '并没有', '并未', '难以', '无法', '不能', '未能', '不会', '不要', '不用', '不必',
  '从不', '从未', '从没', '决不', '绝不', '绝非', '不曾', '未曾', '尚未', '还没', '还没有', '谈不上', '算不上',
];

export const DEGREE_WORDS: ReadonlyMap<string, number> = new Map<string, number>([
  // most (极其): ×2
  ...['极', '极其', '极度', '极为', '最', '最为', '无比', '万分', '绝对', '完全', '彻底', '巨', '超级', '暴'].map((w) => [w, 2] as [string, number]),
  // very (很): ×1.5
  ...['很', '非常', '十分', '特别', '相当', '格外', '尤其', '异常', '分外', '大幅', '大大', '严重', '明显', '显著', '太', '真', '好不', '狂'].map((w) => [w, 1.5] as [string, number]),
  // more (较): ×1.2
  ...['较', '比较', '较为', '更', '更加', '越发', '越来越', '还要', '进一步'].map((w) => [w, 1.2] as [string, number]),
  // -ish (稍): ×0.8
  ...['稍', '稍微', '稍稍', '略', '略微', '略为', '有点', '有点儿', '有些', '些许', '小幅', '微', '一点'].map((w) => [w, 0.8] as [string, number]),
  // insufficiently (欠): ×0.5
  ...['欠', '不太', '不怎么', '不大', '不甚'].map((w) => [w, 0.5] as [string, number]),
  // over (超): ×1.5
  ...['过于', '过分', '过度', '太过', '超'].map((w) => [w, 1.5] as [string, number]),
]);

/** A negator or degree word applies to a sentiment word starting at most this many characters after it ends (a degree word may sit between: 不是很好). */
export const MODIFIER_WINDOW = 3;

/** Clause boundaries (after NFKC, so full-width ，and ！ are already ASCII): modifiers never reach across one. */
const BOUNDARY = new Set(Array.from('，。！？；、,.!?;:：…~～ \t\r\n\u3000', (c) => c.charCodeAt(0)));

export interface LexiconList {
  readonly name: string;
  readonly polarity: 'positive' | 'negative';
  readonly words: readonly string[];
}

/** One trie entry: polarity +1/−1 for a sentiment word, 0 when the lists disagree; a modifier role when it is a negation or degree word. */
interface Entry {
  readonly polarity: number;
  readonly negation: boolean;
  readonly degree: number | null;
}

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  entry: Entry | null;
}

export interface Lexicon {
  readonly root: TrieNode;
  readonly positiveWords: number;
  readonly negativeWords: number;
  /** Words listed as positive in one list and negative in another: kept (so they still win the longest match) but worth 0. */
  readonly conflicting: number;
}

/** NFKC (full-width letters and digits to ASCII) and lower case, applied to words and texts alike. */
const norm = (s: string): string => s.normalize('NFKC').toLowerCase();

function insert(root: TrieNode, word: string, entry: Entry): void {
  let n = root;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    let m = n.next.get(c);
    if (!m) n.next.set(c, (m = { next: new Map(), entry: null }));
    n = m;
  }
  n.entry = entry;
}

/**
 * Builds the matcher. A word's polarity is the sign of (lists calling it positive − lists calling it
 * negative), so a word on both sides (21 in Jiang's lists) nets to 0. Negation and degree words are
 * modifiers even where a list also has them as sentiment words (难以, 严重, 显著); such a modifier
 * counts as a sentiment word of its own when no sentiment word follows it in the window.
 */
export function buildLexicon(lists: readonly LexiconList[]): Lexicon {
  const votes = new Map<string, number>();
  for (const l of lists) {
    for (const raw of new Set(l.words.map((w) => norm(w.trim())).filter((w) => w !== ''))) {
      votes.set(raw, (votes.get(raw) ?? 0) + (l.polarity === 'positive' ? 1 : -1));
    }
  }
  const root: TrieNode = { next: new Map(), entry: null };
  let positiveWords = 0, negativeWords = 0, conflicting = 0;
  const negators = new Set(NEGATION_WORDS.map(norm));
  const words = new Set([...votes.keys(), ...negators, ...DEGREE_WORDS.keys()]);
  for (const w of words) {
    const v = votes.get(w) ?? 0;
    const polarity = Math.sign(v);
    if (votes.has(w)) { if (polarity > 0) positiveWords++; else if (polarity < 0) negativeWords++; else conflicting++; }
    insert(root, w, { polarity, negation: negators.has(w), degree: DEGREE_WORDS.get(w) ?? null });
  }
  return { root, positiveWords, negativeWords, conflicting };
}

/** One matched sentiment word: where it is, its polarity, and the weight after negation and degree. */
export interface LexiconHit {
  readonly start: number;
  readonly end: number;
  readonly word: string;
  readonly weight: number;
}

interface Pending { readonly end: number; readonly entry: Entry; readonly start: number }

/** The sentiment words of a text (positions in its NFKC, lower-cased form), by forward maximum matching. */
export function lexiconHits(lex: Lexicon, text: string): LexiconHit[] {
  const s = norm(text);
  const hits: LexiconHit[] = [];
  let pending: Pending[] = [];
  // A modifier that is also a sentiment word (难以, 严重) and was not used as a modifier counts on its own.
  const flush = (keepFrom: number) => {
    const keep: Pending[] = [];
    for (const p of pending) {
      if (p.end >= keepFrom) keep.push(p);
      else if (p.entry.polarity !== 0) hits.push({ start: p.start, end: p.end, word: s.slice(p.start, p.end), weight: p.entry.polarity });
    }
    pending = keep;
  };
  let i = 0;
  while (i < s.length) {
    if (BOUNDARY.has(s.charCodeAt(i))) { flush(Infinity); i++; continue; }
    // Forward maximum matching: walk the trie as far as the text allows, remember the last word end.
    let node: TrieNode | undefined = lex.root, end = -1, entry: Entry | null = null;
    for (let j = i; j < s.length; j++) {
      node = node.next.get(s.charCodeAt(j));
      if (!node) break;
      if (node.entry) { end = j + 1; entry = node.entry; }
    }
    if (entry === null) { i++; continue; }
    if (entry.negation || entry.degree !== null) {
      flush(i - MODIFIER_WINDOW);
      pending.push({ start: i, end, entry });
    } else if (entry.polarity !== 0) {
      flush(i - MODIFIER_WINDOW);
      let weight = entry.polarity;
      for (const p of pending) {
        if (p.entry.negation) weight = -weight;
        if (p.entry.degree !== null) weight *= p.entry.degree;
      }
      pending = [];
      hits.push({ start: i, end, word: s.slice(i, end), weight });
    }
    i = end;
  }
  flush(Infinity);
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * score = tanh(Σ weight / hits) — the mean weighted polarity, squashed into (−1, 1); label by
 * `labelOf`; confidence = 1 − 2^−hits (one hit 0.5, two 0.75, three 0.875). No hit: 0, neutral, 0.
 */
export function scoreWithLexicon(lex: Lexicon, text: string): SentimentScore {
  const hits = lexiconHits(lex, text);
  if (hits.length === 0) return { score: 0, label: 'neutral', confidence: 0 };
  const net = hits.reduce((a, h) => a + h.weight, 0) / hits.length;
  const score = Math.tanh(net);
  return { score, label: labelOf(score), confidence: 1 - 2 ** -hits.length };
}

/** `lexicon:<first 16 hex of sha256 over the files sorted by name, each as name NUL content NUL>`. */
export function lexiconIdOf(files: readonly { readonly name: string; readonly content: string }[]): string {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `lexicon:${sha256Hex(sorted.map((f) => `${f.name}\0${f.content}\0`).join('')).slice(0, 16)}`;
}

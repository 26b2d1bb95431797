import { describe, expect, it } from 'vitest';
import {
  compileModel, modelIdOf, ngramsOf, normalizeText, scoreWithModel, serializeModel, trainNgramModel,
  type LabelledText, type SentimentLabel, type TrainedOn,
} from '../../../src/domain/sentiment/index.js';

const on: TrainedOn = { rows: 0, sha256: 'a'.repeat(64), holdout: null };
const TEMPLATES: Record<SentimentLabel, string[]> = {
  positive: ['大涨', '涨停了', '利好来了', '明天继续涨', '好股票'],
  negative: ['大跌', '跌停了', '利空来了', '明天继续跌', '垃圾股票'],
  neutral: ['观望一下', '今天开会', '明天再看', '等等看', '公告时间'],
};
const prefixes = ['', '哈哈', '看来', '兄弟们', '早上'];
const rows: LabelledText[] = (['positive', 'negative', 'neutral'] as const).flatMap((label) =>
  TEMPLATES[label].flatMap((t) => prefixes.map((p) => ({ text: p + t, label }))));

describe('character n-gram model', () => {
  it('normalises (NFKC, lower case, digits to 0, spaces) and cuts distinct 1..n-grams by code point', () => {
    expect(normalizeText(' ＡＢ  12３ ')).toBe('ab 000');
    expect(ngramsOf('涨涨', 1, 2)).toEqual(['涨', '涨涨']);
    expect(ngramsOf('好😀', 1, 2)).toEqual(['好', '😀', '好😀']);
    expect(ngramsOf('a', 2, 3)).toEqual([]);
  });

  for (const kind of ['logreg', 'nb'] as const) {
    it(`${kind}: learns the toy classes; score = P(pos) − P(neg) in [-1, 1], label = argmax, confidence = its probability`, () => {
      const m = trainNgramModel(rows, { ...on, rows: rows.length }, { kind, minCount: 1 });
      expect(m.kind).toBe(kind);
      expect(m.labels).toEqual(['negative', 'neutral', 'positive']);
      const cm = compileModel(m);
      expect(scoreWithModel(cm, '今天大涨').label).toBe('positive');
      expect(scoreWithModel(cm, '今天大跌').label).toBe('negative');
      expect(scoreWithModel(cm, '再看看').label).toBe('neutral');
      for (const t of ['大涨', '大跌', '观望', '未见过的字']) {
        const s = scoreWithModel(cm, t);
        expect(s.score).toBeGreaterThanOrEqual(-1);
        expect(s.score).toBeLessThanOrEqual(1);
        expect(s.confidence).toBeGreaterThanOrEqual(1 / 3);
        expect(s.confidence).toBeLessThanOrEqual(1);
      }
      expect(scoreWithModel(cm, '大涨').score).toBeGreaterThan(0.5);
      expect(scoreWithModel(cm, '大跌').score).toBeLessThan(-0.5);
    });
  }

  it('training is deterministic: the same rows give a byte-identical model file and id', () => {
    const a = serializeModel(trainNgramModel(rows, on));
    const b = serializeModel(trainNgramModel(rows.map((r) => ({ ...r })), on));
    expect(a).toBe(b);
    expect(modelIdOf(a)).toBe(modelIdOf(b));
    expect(modelIdOf(a)).toMatch(/^model:[0-9a-f]{16}$/);
    expect(serializeModel(trainNgramModel(rows, on, { kind: 'nb' }))).toBe(serializeModel(trainNgramModel(rows, on, { kind: 'nb' })));
    expect(modelIdOf(serializeModel(trainNgramModel(rows, { ...on, rows: 1 })))).not.toBe(modelIdOf(a));
  });

  it('the file is the model: parsing it back scores exactly as the trained model does', () => {
    const m = trainNgramModel(rows, on);
    const back = JSON.parse(serializeModel(m));
    expect(back).toEqual(JSON.parse(JSON.stringify(m)));
    for (const t of ['大涨', '垃圾', '看看']) expect(scoreWithModel(compileModel(back), t)).toEqual(scoreWithModel(compileModel(m), t));
  });

  it('the vocabulary is bounded by minCount and maxFeatures, sorted by code units', () => {
    const all = trainNgramModel(rows, on, { minCount: 1 });
    const common = trainNgramModel(rows, on, { minCount: 5 });
    const top = trainNgramModel(rows, on, { minCount: 1, maxFeatures: 10 });
    expect(common.vocabulary.length).toBeLessThan(all.vocabulary.length);
    expect(top.vocabulary).toHaveLength(10);
    expect([...all.vocabulary].sort()).toEqual(all.vocabulary);
    expect(top.weights.every((r) => r.length === 10)).toBe(true);
  });

  it('refuses data without every class, and bad n-gram bounds', () => {
    expect(() => trainNgramModel(rows.filter((r) => r.label !== 'neutral'), on)).toThrow(/no neutral rows/);
    expect(() => trainNgramModel(rows, on, { ngrams: [3, 1] })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { confusionOf, emptyConfusion, evaluateLabels, isHeldOut, metricsOf, splitHoldout, type Confusion, type SentimentLabel } from '../../../src/domain/sentiment/index.js';

describe('evaluation metrics', () => {
  // Rows: true label; columns: predicted (negative, neutral, positive).
  const confusion: Confusion = {
    negative: { negative: 8, neutral: 1, positive: 1 },
    neutral: { negative: 2, neutral: 5, positive: 3 },
    positive: { negative: 0, neutral: 2, positive: 18 },
  };

  it('accuracy, per-class precision / recall / F1 / support and the macro F1 of a hand-made matrix', () => {
    const m = metricsOf(confusion);
    expect(m.n).toBe(40);
    expect(m.accuracy).toBeCloseTo(31 / 40, 12);
    expect(m.perClass.negative).toMatchObject({ precision: 0.8, recall: 0.8, support: 10 });
    expect(m.perClass.negative.f1).toBeCloseTo(0.8, 12);
    expect(m.perClass.neutral.precision).toBeCloseTo(5 / 8, 12);
    expect(m.perClass.neutral.recall).toBeCloseTo(0.5, 12);
    expect(m.perClass.neutral.f1).toBeCloseTo(5 / 9, 12); // 2·(5/8)(1/2)/(5/8 + 1/2)
    expect(m.perClass.positive.precision).toBeCloseTo(18 / 22, 12);
    expect(m.perClass.positive.recall).toBeCloseTo(0.9, 12);
    expect(m.perClass.positive.f1).toBeCloseTo(6 / 7, 12); // 2·TP/(2·TP + FP + FN) = 36/42
    expect(m.macroF1).toBeCloseTo((0.8 + 5 / 9 + 6 / 7) / 3, 12);
    expect(m.confusion).toEqual(confusion);
  });

  it('confusionOf counts truth → prediction pairs and gives the same metrics', () => {
    const truth: SentimentLabel[] = [], pred: SentimentLabel[] = [];
    for (const t of ['negative', 'neutral', 'positive'] as const) {
      for (const p of ['negative', 'neutral', 'positive'] as const) for (let i = 0; i < confusion[t][p]; i++) { truth.push(t); pred.push(p); }
    }
    expect(confusionOf(truth, pred)).toEqual(confusion);
    expect(evaluateLabels(truth, pred)).toEqual(metricsOf(confusion));
    expect(() => confusionOf(truth, pred.slice(1))).toThrow(RangeError);
  });

  it('a class neither present nor predicted has zeros and stays out of the macro average; an empty set is all zeros', () => {
    const m = evaluateLabels(['positive', 'negative', 'positive'], ['positive', 'negative', 'negative']);
    expect(m.perClass.neutral).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12); // negative: p 1/2 r 1; positive: p 1 r 1/2
    const e = metricsOf(emptyConfusion());
    expect([e.n, e.accuracy, e.macroF1]).toEqual([0, 0, 0]);
  });
});

describe('held-out split', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `评论${i}`);

  it('is a pure function of key, fraction and seed, close to the fraction asked for', () => {
    const a = keys.filter((k) => isHeldOut(k, 0.2, 1));
    expect(keys.filter((k) => isHeldOut(k, 0.2, 1))).toEqual(a);
    expect(a.length / keys.length).toBeGreaterThan(0.18);
    expect(a.length / keys.length).toBeLessThan(0.22);
    expect(keys.filter((k) => isHeldOut(k, 0.2, 2))).not.toEqual(a);
    expect(keys.filter((k) => isHeldOut(k, 0, 1))).toEqual([]);
    // A larger fraction with the same seed keeps every row the smaller one held out.
    const b = new Set(keys.filter((k) => isHeldOut(k, 0.3, 1)));
    expect(a.every((k) => b.has(k))).toBe(true);
    expect(() => isHeldOut('x', 1, 1)).toThrow(RangeError);
  });

  it('splitHoldout keeps the input order on both sides and loses no row', () => {
    const { train, holdout } = splitHoldout(keys, (k) => k, 0.25, 7);
    expect(train.length + holdout.length).toBe(keys.length);
    expect([...train, ...holdout].sort()).toEqual([...keys].sort());
    expect(holdout).toEqual(keys.filter((k) => isHeldOut(k, 0.25, 7)));
  });
});

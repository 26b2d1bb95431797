import { describe, expect, it } from 'vitest';
import { appendSentiment, cloneOwnedSentiment, DEFAULT_SENTIMENT_FACTOR, newOwnedSentiment, sentimentOn } from '../../../src/domain/sentiment/factor.js';

// The daily sentiment factor's arithmetic, each expected value worked out by hand:
//   factor(day) = Σ w(d)·sum(d) / (Σ w(d)·count(d) + prior),  w(d) = 0.5^(age in calendar days / halfLife),
// over the days d with 0 ≤ age ≤ keepDays (items dated after the decision day do not count).

const S = '600519.SH';

function given(items: readonly (readonly [day: string, score: number])[], params = DEFAULT_SENTIMENT_FACTOR) {
  const s = newOwnedSentiment(params);
  for (const [day, score] of items) appendSentiment(s, S, day, score);
  return s;
}

describe('sentiment factor', () => {
  it('defaults: a 5-day half-life, one pseudo-item of prior, 60 days kept', () => {
    expect(DEFAULT_SENTIMENT_FACTOR).toEqual({ halfLifeDays: 5, prior: 1, keepDays: 60 });
  });

  it('one item on the day is shrunk toward 0 by the prior: 0.8 / (1 + 1) = 0.4', () => {
    expect(sentimentOn(given([['2024-03-05', 0.8]]), S, '2024-03-05')).toBeCloseTo(0.4, 12);
  });

  it('is count-aware: four agreeing items say more than one — 3.2 / (4 + 1) = 0.64', () => {
    const s = given([['2024-03-05', 0.8], ['2024-03-05', 0.8], ['2024-03-05', 0.8], ['2024-03-05', 0.8]]);
    expect(sentimentOn(s, S, '2024-03-05')).toBeCloseTo(0.64, 12);
    // Mixed items on one day: their sum over their count plus the prior, (0.9 − 0.3) / (2 + 1) = 0.2.
    expect(sentimentOn(given([['2024-03-05', 0.9], ['2024-03-05', -0.3]]), S, '2024-03-05')).toBeCloseTo(0.2, 12);
  });

  it('without a prior it is the plain (decayed) mean', () => {
    const s = given([['2024-03-05', 0.9], ['2024-03-05', -0.3]], { halfLifeDays: 5, prior: 0, keepDays: 60 });
    expect(sentimentOn(s, S, '2024-03-05')).toBeCloseTo(0.3, 12);
  });

  it('decays by calendar days: an item one half-life old weighs half', () => {
    // 1.0 on 1 March, read on 6 March: w = 0.5, so 0.5 / (0.5 + 1) = 1/3.
    const s = given([['2024-03-01', 1]]);
    expect(sentimentOn(s, S, '2024-03-06')).toBeCloseTo(1 / 3, 12);
    // And −1.0 on 6 March besides: (0.5·1 + 1·(−1)) / (0.5 + 1 + 1) = −0.5 / 2.5 = −0.2.
    appendSentiment(s, S, '2024-03-06', -1);
    expect(sentimentOn(s, S, '2024-03-06')).toBeCloseTo(-0.2, 12);
  });

  it('counts weekend days in the age: Friday to Monday is 3 days, w = 2^(−0.6)', () => {
    // w = 2^(−3/5) = 0.6597539553864471; 0.6597539553864471 / 1.6597539553864471 = 0.39750105926563917.
    expect(sentimentOn(given([['2024-03-01', 1]]), S, '2024-03-04')).toBeCloseTo(0.39750105926563917, 12);
  });

  it('with a 10-day half-life and no prior: (0.5·1.2 − 0.3) / (0.5·2 + 1) = 0.15', () => {
    const s = given([['2024-03-01', 0.6], ['2024-03-01', 0.6], ['2024-03-11', -0.3]], { halfLifeDays: 10, prior: 0, keepDays: 60 });
    expect(sentimentOn(s, S, '2024-03-11')).toBeCloseTo(0.15, 12);
  });

  it('ignores items dated after the decision day', () => {
    const s = given([['2024-03-05', 0.8], ['2024-03-06', -1], ['2024-03-07', -1]]);
    expect(sentimentOn(s, S, '2024-03-05')).toBeCloseTo(0.4, 12);
    // Only future items: nothing is known yet.
    expect(sentimentOn(given([['2024-03-06', 1]]), S, '2024-03-05')).toBeNull();
    // Read on 6 March: 0.8 one day old (w = 2^(−0.2) = 0.8705505632961241) and −1 that day; 7 March's still ignored.
    // (0.8·0.8705505632961241 − 1) / (0.8705505632961241 + 1 + 1) = −0.3035595493631007 / 2.870550563296124 = −0.10574959147019411.
    expect(sentimentOn(s, S, '2024-03-06')).toBeCloseTo(-0.10574959147019411, 12);
  });

  it('drops days older than keepDays', () => {
    const p = { halfLifeDays: 5, prior: 1, keepDays: 10 };
    expect(sentimentOn(given([['2024-03-01', 1]], p), S, '2024-03-11')).toBeCloseTo(0.25 / 1.25, 12); // age 10: kept, w = 0.25
    expect(sentimentOn(given([['2024-03-01', 1]], p), S, '2024-03-12')).toBeNull(); // age 11
    // An item more than keepDays after an older day prunes that day from the state itself.
    const s = given([['2024-03-01', 1], ['2024-03-20', 0.5]], p);
    expect(s.bySymbol.get(S)!.map((d) => d.day)).toEqual(['2024-03-20']);
  });

  it('is null for a symbol with no items, and per symbol', () => {
    const s = given([['2024-03-05', 0.8]]);
    appendSentiment(s, '000001.SZ', '2024-03-05', -0.6);
    expect(sentimentOn(s, '600000.SH', '2024-03-05')).toBeNull();
    expect(sentimentOn(s, S, '2024-03-05')).toBeCloseTo(0.4, 12);
    expect(sentimentOn(s, '000001.SZ', '2024-03-05')).toBeCloseTo(-0.3, 12);
  });

  it('merges a late item into its day: arrival order does not change the value', () => {
    const a = given([['2024-03-01', 1], ['2024-03-06', -1], ['2024-03-01', 0.4]]);
    const b = given([['2024-03-06', -1], ['2024-03-01', 0.4], ['2024-03-01', 1]]);
    // (0.5·1.4 − 1) / (0.5·2 + 1 + 1) = −0.3 / 3 = −0.1.
    expect(sentimentOn(a, S, '2024-03-06')).toBeCloseTo(-0.1, 12);
    expect(sentimentOn(b, S, '2024-03-06')).toBeCloseTo(-0.1, 12);
  });

  it('a clone evolves apart from its original', () => {
    const s = given([['2024-03-05', 0.8]]);
    const c = cloneOwnedSentiment(s);
    appendSentiment(c, S, '2024-03-05', 0.8);
    expect(sentimentOn(s, S, '2024-03-05')).toBeCloseTo(0.4, 12);
    expect(sentimentOn(c, S, '2024-03-05')).toBeCloseTo(1.6 / 3, 12);
  });
});

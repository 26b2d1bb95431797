import { describe, expect, it } from 'vitest';
import { buildLexicon, lexiconHits, lexiconIdOf, scoreWithLexicon, type LexiconList } from '../../../src/domain/sentiment/index.js';

const lists: LexiconList[] = [
  { name: 'a_positive.txt', polarity: 'positive', words: ['好', '上涨', '良', 'AAA级', '冷静'] },
  { name: 'a_negative.txt', polarity: 'negative', words: ['差', '下跌', '亏损', '好高骛远', '不良', '严重', '冷静'] },
  { name: 'b_positive.txt', polarity: 'positive', words: ['上涨', ' 利好 ', ''] },
];
const lex = buildLexicon(lists);
const score = (t: string) => scoreWithLexicon(lex, t);
const t1 = Math.tanh(1);

describe('lexicon scorer (forward maximum matching, negation, degree)', () => {
  it('one sentiment word: tanh(±1), its label, confidence 0.5', () => {
    expect(score('今天上涨')).toEqual({ score: t1, label: 'positive', confidence: 0.5 });
    expect(score('明天下跌')).toEqual({ score: -t1, label: 'negative', confidence: 0.5 });
    expect(score('利好')).toMatchObject({ label: 'positive' }); // trimmed word from the second list
  });

  it('no sentiment word: 0, neutral, confidence 0', () => {
    expect(score('今天天气一般')).toEqual({ score: 0, label: 'neutral', confidence: 0 });
    expect(score('')).toEqual({ score: 0, label: 'neutral', confidence: 0 });
  });

  it('a negation word shortly before a sentiment word flips it; two negations cancel', () => {
    expect(score('不上涨').score).toBeCloseTo(-t1, 12);
    expect(score('没有下跌').score).toBeCloseTo(t1, 12);
    expect(score('并非不好').score).toBeCloseTo(t1, 12);
    expect(score('不会再亏损了').score).toBeCloseTo(t1, 12); // 不会, one character, 亏损
  });

  it('negation does not reach across a clause boundary or beyond the window', () => {
    expect(score('不，好').score).toBeCloseTo(t1, 12);
    expect(score('不知道明天会好').score).toBeCloseTo(t1, 12); // five characters between 不 and 好
  });

  it('degree words scale the weight: very ×1.5, -ish ×0.8; with a negation both apply', () => {
    expect(score('非常好').score).toBeCloseTo(Math.tanh(1.5), 12); // 非常 is a degree word, not 非 + 常
    expect(score('略微上涨').score).toBeCloseTo(Math.tanh(0.8), 12);
    expect(score('不是很好').score).toBeCloseTo(Math.tanh(-1.5), 12);
    expect(score('极差').score).toBeCloseTo(Math.tanh(-2), 12);
  });

  it('longest match first: a longer word wins over the word it starts with', () => {
    expect(lexiconHits(lex, '好高骛远').map((h) => [h.word, h.weight])).toEqual([['好高骛远', -1]]);
    expect(lexiconHits(lex, '不良贷款').map((h) => [h.word, h.weight])).toEqual([['不良', -1]]); // not 不 + 良
  });

  it('a degree or negation word that is also a sentiment word counts alone when nothing follows it', () => {
    expect(lexiconHits(lex, '风险严重').map((h) => [h.word, h.weight])).toEqual([['严重', -1]]);
    expect(lexiconHits(lex, '严重亏损').map((h) => [h.word, h.weight])).toEqual([['亏损', -1.5]]);
  });

  it('a word on both sides nets to 0 and scores nothing; counts say so', () => {
    expect(score('冷静')).toEqual({ score: 0, label: 'neutral', confidence: 0 });
    expect(lex.conflicting).toBe(1);
    expect(lex.positiveWords).toBe(5); // 好 上涨 良 aaa级 利好
  });

  it('mixed texts average the weights; confidence grows with the number of hits', () => {
    expect(score('上涨，下跌')).toEqual({ score: 0, label: 'neutral', confidence: 0.75 });
    const s = score('上涨，好，下跌');
    expect(s.score).toBeCloseTo(Math.tanh(1 / 3), 12);
    expect(s.confidence).toBe(0.875);
  });

  it('full-width letters and digits match their ASCII form', () => {
    expect(score('获评ＡＡＡ级').label).toBe('positive');
  });

  it('the lexicon id hashes names and contents, whatever order the files come in', () => {
    const a = { name: 'x_positive.txt', content: '好\n' }, b = { name: 'x_negative.txt', content: '差\n' };
    expect(lexiconIdOf([a, b])).toBe(lexiconIdOf([b, a]));
    expect(lexiconIdOf([a, b])).toMatch(/^lexicon:[0-9a-f]{16}$/);
    expect(lexiconIdOf([a, { ...b, content: '差\n坏\n' }])).not.toBe(lexiconIdOf([a, b]));
  });
});

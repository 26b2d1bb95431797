import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { modelScorer, openModelScorer, readModelFile, writeModelFile } from '../../../src/adapters/sentiment/index.js';
import { modelIdOf, trainNgramModel, type LabelledText } from '../../../src/domain/sentiment/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ashare-sent-model-'));
const rows: LabelledText[] = [
  ...['大涨', '涨停', '利好', '好股', '起飞'].map((t) => ({ text: t, label: 'positive' as const })),
  ...['大跌', '跌停', '利空', '垃圾', '割肉'].map((t) => ({ text: t, label: 'negative' as const })),
  ...['观望', '开会', '公告', '看看', '时间'].map((t) => ({ text: t, label: 'neutral' as const })),
];
const model = trainNgramModel(rows, { rows: rows.length, sha256: 'b'.repeat(64), holdout: { fraction: 0.2, seed: 1 } }, { minCount: 1 });

describe('model file', () => {
  it('round trip: the file reads back as the same model with the id of its bytes, and scores the same', async () => {
    const p = join(dir, 'm.json');
    const w = writeModelFile(p, model);
    if (isLeft(w)) throw new Error(w.left.message);
    expect(w.right.modelId).toBe(modelIdOf(readFileSync(p, 'utf8')));
    const r = readModelFile(p);
    if (isLeft(r)) throw new Error(r.left.message);
    expect(r.right.modelId).toBe(w.right.modelId);
    expect(r.right.model).toEqual(JSON.parse(JSON.stringify(model)));
    const texts = ['今天大涨', '又跌停', '开会', '没见过'];
    const fromFile = openModelScorer(p);
    if (isLeft(fromFile)) throw new Error(fromFile.left.message);
    expect(fromFile.right.info).toEqual({ scorer: 'model', model: w.right.modelId, promptVersion: null });
    expect(await fromFile.right.score(texts)).toEqual(await modelScorer(model, w.right.modelId).score(texts));
    // Writing it again gives the same bytes.
    const p2 = join(dir, 'm2.json');
    writeModelFile(p2, model);
    expect(readFileSync(p2, 'utf8')).toBe(readFileSync(p, 'utf8'));
  });

  it('a missing, non-JSON, foreign or inconsistent file is a typed error naming the file', () => {
    const bad = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return readModelFile(p); };
    const missing = readModelFile(join(dir, 'none.json'));
    expect(isLeft(missing) && missing.left.code).toBe('SENTIMENT_FILE_NOT_FOUND');
    const cases: [ReturnType<typeof readModelFile>, RegExp][] = [
      [bad('text.json', 'not json'), /text\.json: not JSON/],
      [bad('other.json', '{"format":"something-else"}'), /not an ashare-sentiment-model file/],
      [bad('short.json', JSON.stringify({ ...model, weights: model.weights.map((r) => r.slice(1)) })), /weights\[0\] has/],
      [bad('labels.json', JSON.stringify({ ...model, labels: ['negative', 'negative', 'positive'] })), /labels repeat/],
      [bad('extra.json', JSON.stringify({ ...model, extra: 1 })), /extra\.json: .*(unrecognized|Unrecognized)/],
      [bad('version.json', JSON.stringify({ ...model, version: 2 })), /version/],
    ];
    for (const [r, re] of cases) {
      expect(isLeft(r) && r.left.code).toBe('SENTIMENT_FILE_INVALID');
      expect(isLeft(r) && r.left.message).toMatch(re);
    }
    expect(isRight(writeModelFile(join(dir, 'no', 'dir', 'm.json'), model))).toBe(false);
  });
});

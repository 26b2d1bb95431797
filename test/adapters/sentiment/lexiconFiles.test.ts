import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { FIXTURE_LEXICON_DIR, lexiconScorer, loadLexiconDir, openLexiconScorer } from '../../../src/adapters/sentiment/index.js';
import { lexiconIdOf } from '../../../src/domain/sentiment/index.js';

const root = mkdtempSync(join(tmpdir(), 'ashare-sent-lex-'));
function lexDir(name: string, files: Record<string, string>): string {
  const d = join(root, name);
  mkdirSync(d);
  for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
  return d;
}

describe('lexicon directory', () => {
  const files = { 'j_positive.txt': '\ufeff上涨\n利好\r\n\n', 'j_negative.txt': '下跌\n亏损\n', 'y_positive.txt': '好\n', 'README.md': 'not a list' };
  const dir = lexDir('ok', files);

  it('loads every *_positive / *_negative list; the id hashes the sorted names and contents; the scorer uses it', async () => {
    const l = loadLexiconDir(dir);
    if (isLeft(l)) throw new Error(l.left.message);
    expect(l.right.files).toEqual(['j_negative.txt', 'j_positive.txt', 'y_positive.txt']);
    expect(l.right.modelId).toBe(lexiconIdOf(l.right.files.map((name) => ({ name, content: files[name as keyof typeof files] }))));
    expect([l.right.lexicon.positiveWords, l.right.lexicon.negativeWords]).toEqual([3, 2]);
    const s = openLexiconScorer(dir);
    if (isLeft(s)) throw new Error(s.left.message);
    expect(s.right.info).toEqual({ scorer: 'lexicon', model: l.right.modelId, promptVersion: null });
    const out = await s.right.score(['利好来了', '不会亏损', '今天开会']);
    expect(out.map((x) => x.label)).toEqual(['positive', 'positive', 'neutral']);
    expect(await lexiconScorer(l.right.lexicon, l.right.modelId).score([])).toEqual([]);
  });

  it('only the lists named, when asked: the id covers just those files; an unknown stem is an error', () => {
    const l = loadLexiconDir(dir, ['j']);
    if (isLeft(l)) throw new Error(l.left.message);
    expect(l.right.files).toEqual(['j_negative.txt', 'j_positive.txt']);
    expect(l.right.modelId).toBe(lexiconIdOf(l.right.files.map((name) => ({ name, content: files[name as keyof typeof files] }))));
    const onlyY = loadLexiconDir(dir, ['y']);
    expect(isLeft(onlyY) && onlyY.left.message).toMatch(/no non-empty \*_negative\.txt/);
    const unknown = loadLexiconDir(dir, ['j', 'zz']);
    expect(isLeft(unknown) && unknown.left.message).toMatch(/no word lists named zz \(the directory has j, y\)/);
  });

  it('a changed word changes the id', () => {
    const other = lexDir('changed', { ...files, 'j_negative.txt': '下跌\n亏损\n暴跌\n' });
    const a = loadLexiconDir(dir), b = loadLexiconDir(other);
    expect(isLeft(a) || isLeft(b) || a.right.modelId !== b.right.modelId).toBe(true);
  });

  it('a missing directory, or one without a positive or a negative list, is a typed error', () => {
    const missing = loadLexiconDir(join(root, 'nope'));
    expect(isLeft(missing) && missing.left.code).toBe('SENTIMENT_FILE_NOT_FOUND');
    const onlyPos = loadLexiconDir(lexDir('pos', { 'a_positive.txt': '好\n', 'a_negative.txt': '\n' }));
    expect(isLeft(onlyPos) && onlyPos.left.message).toMatch(/no non-empty \*_negative\.txt/);
  });

  it('the shipped lexicons load (skipped without ASHARE_FIXTURES_DIR)', (ctx) => {
    const fx = process.env.ASHARE_FIXTURES_DIR;
    if (!fx || !existsSync(join(fx, FIXTURE_LEXICON_DIR))) {
      console.log('lexiconFiles.test.ts: ASHARE_FIXTURES_DIR is unset (or has no cn_fin_sentiment_lexicons); skipping the shipped-lexicon check');
      ctx.skip();
      return;
    }
    const l = loadLexiconDir(join(fx, FIXTURE_LEXICON_DIR));
    if (isLeft(l)) throw new Error(l.left.message);
    expect(l.right.files).toHaveLength(6);
    // Words with as many positive as negative lists (most of Jiang's 21 two-sided words) net to 0.
    expect(l.right.lexicon.conflicting).toBeGreaterThan(0);
    expect(l.right.lexicon.positiveWords).toBeGreaterThan(4_000);
    expect(l.right.lexicon.negativeWords).toBeGreaterThan(5_000);
  });
});

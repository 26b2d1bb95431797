import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { buildLexicon, lexiconIdOf, type Lexicon, type LexiconList } from '../../domain/sentiment/index.js';
import { fileError, readBytes, type SentimentFileError } from './fileError.js';

/** The directory CI and the fixtures use: `$ASHARE_FIXTURES_DIR/cn_fin_sentiment_lexicons`. */
export const FIXTURE_LEXICON_DIR = 'cn_fin_sentiment_lexicons';

export interface LoadedLexicon {
  readonly dir: string;
  /** The word-list files used, sorted by name. */
  readonly files: readonly string[];
  readonly lexicon: Lexicon;
  /** `lexicon:<16 hex>` over the sorted file names and contents (ScorerInfo.model). */
  readonly modelId: string;
}

const LIST_FILE = /^(.+)_(positive|negative)\.txt$/;

/**
 * Loads every `*_positive.txt` / `*_negative.txt` word list in `dir` (UTF-8, one word per line; blank
 * lines skipped) — for the shipped directory, Jiang 2020 and Yao 2021 formal and informal — or only
 * the lists whose stem (`yao2021_informal`) is in `only`. At least one positive and one negative list
 * are required.
 */
export function loadLexiconDir(dir: string, only?: readonly string[]): Either<SentimentFileError, LoadedLexicon> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => LIST_FILE.test(f)).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return left(fileError(code === 'ENOENT' ? 'SENTIMENT_FILE_NOT_FOUND' : 'SENTIMENT_FILE_INVALID', dir, null,
      code === 'ENOENT' ? 'no such lexicon directory' : `cannot list the lexicon directory (${code ?? (e as Error).message})`));
  }
  if (only !== undefined) {
    const stems = new Set(names.map((f) => LIST_FILE.exec(f)![1]!));
    const unknown = only.filter((x) => !stems.has(x));
    if (unknown.length > 0) return left(fileError('SENTIMENT_FILE_NOT_FOUND', dir, null, `no word lists named ${unknown.join(', ')} (the directory has ${[...stems].join(', ') || 'none'})`));
    names = names.filter((f) => only.includes(LIST_FILE.exec(f)![1]!));
  }
  const lists: LexiconList[] = [];
  const contents: { name: string; content: string }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const b = readBytes(path);
    if (isLeft(b)) return b;
    let content: string;
    try { content = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b.right); } catch { return left(fileError('SENTIMENT_FILE_INVALID', path, null, 'not UTF-8 text')); }
    contents.push({ name, content });
    const polarity = LIST_FILE.exec(name)![2] as 'positive' | 'negative';
    lists.push({ name, polarity, words: content.replace(/^\ufeff/, '').split(/\r?\n/).map((w) => w.trim()).filter((w) => w !== '') });
  }
  for (const p of ['positive', 'negative'] as const) {
    if (!lists.some((l) => l.polarity === p && l.words.length > 0)) {
      return left(fileError('SENTIMENT_FILE_INVALID', dir, null, `no non-empty *_${p}.txt word list in the lexicon directory`));
    }
  }
  return right({ dir, files: names, lexicon: buildLexicon(lists), modelId: lexiconIdOf(contents) });
}

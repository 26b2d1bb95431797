import { resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { openLexiconScorer, openModelScorer } from '../../adapters/sentiment/index.js';
import type { DataOf, DomainEvent, SentimentScorer } from '../../domain/index.js';
import type { AppConfig } from '../config/index.js';
import { AppError, EXIT } from '../errors.js';
import { readSentimentItems } from './items.js';
import { reuseKey, scoreItems, textHashOf, type SentimentItem } from './scoreItems.js';
import { readKnownScores } from './sentimentJournal.js';

export type SentimentConfig = NonNullable<AppConfig['sentiment']>;

export interface NewsSentiment {
  /** SentimentScored events by the trading day they are journaled on (the first on or after the item's date). */
  readonly byDay: Map<string, DomainEvent[]>;
  readonly items: number;
  readonly reused: number;
  readonly fallbacks: number;
}

function offline(c: SentimentConfig, baseDir: string): SentimentScorer {
  const kind = c.scorer === 'llm' ? (c.model ? 'model' : 'lexicon') : c.scorer;
  if (kind === 'model') {
    if (!c.model) throw new AppError('CONFIG_INVALID', 'sentiment.scorer model needs sentiment.model (a file from ashare sentiment train)', EXIT.badInput);
    const s = openModelScorer(resolve(baseDir, c.model));
    if (isLeft(s)) throw new AppError(s.left.code, s.left.message, EXIT.badInput);
    return s.right;
  }
  const dir = c.lexicons ? resolve(baseDir, c.lexicons) : process.env['ASHARE_FIXTURES_DIR'] ? resolve(process.env['ASHARE_FIXTURES_DIR'], 'cn_fin_sentiment_lexicons') : null;
  if (!dir) throw new AppError('CONFIG_INVALID', 'sentiment.lexicons must name the lexicon directory', EXIT.badInput);
  const s = openLexiconScorer(dir);
  if (isLeft(s)) throw new AppError(s.left.code, s.left.message, EXIT.badInput);
  return s.right;
}

/** Whether a journaled model id (`name@host`) is the one `sentiment.llmModel` names (all of it, or the name alone). */
const isNamedModel = (model: string, named: string): boolean => model === named || (!named.includes('@') && model.slice(0, model.lastIndexOf('@')) === named);

/**
 * The LLM whose journaled scores a backtest reads: the model and prompt version the config names, or
 * the only ones the journal holds; null when it holds none. Scores from two models or prompt versions
 * are different measurements, so a journal holding more than one that the config does not choose
 * between is refused rather than one of them silently taken.
 */
export function journaledLlm(c: SentimentConfig, known: ReadonlyMap<string, DataOf<'SentimentScored'>>): { scorer: 'llm'; model: string; promptVersion: string | null } | null {
  const found = new Map<string, { scorer: 'llm'; model: string; promptVersion: string | null }>();
  for (const d of known.values()) {
    if (d.scorer !== 'llm' || (c.llmModel !== undefined && !isNamedModel(d.model, c.llmModel))) continue;
    if (c.promptVersion !== undefined && d.promptVersion !== c.promptVersion) continue;
    found.set(`${d.model} (${d.promptVersion ?? 'no prompt version'})`, { scorer: 'llm', model: d.model, promptVersion: d.promptVersion });
  }
  if (found.size > 1) {
    throw new AppError('CONFIG_INVALID', `the sentiment journal holds LLM scores from ${found.size} models or prompt versions (${[...found.keys()].sort().join(', ')}): choose one with sentiment.llmModel and sentiment.promptVersion`, EXIT.badInput);
  }
  return found.values().next().value ?? null;
}

/**
 * The sentiment of a backtest's news file (`sentiment.news`: date,symbol,text): scored with the
 * offline scorer, or taken from the sentiment journal (`sentiment.journal`, e.g. the LLM's scores made
 * earlier by ashare sentiment score, by the model and prompt version `journaledLlm` picks) — a
 * backtest never calls an API; an LLM score that is not journaled is answered by the offline scorer,
 * marked NOT_JOURNALED. Each item becomes a SentimentScored event on the first trading day on or
 * after its date, journaled with that day's market data, so the run — and any replay of it — folds
 * exactly these scores.
 */
export async function newsSentiment(c: SentimentConfig, baseDir: string, days: readonly string[], key: JournalKey | undefined): Promise<NewsSentiment> {
  const path = resolve(baseDir, c.news);
  const items = readSentimentItems(path);
  items.forEach((it, i) => {
    if (!it.day || !it.symbol) throw new AppError('SENTIMENT_FILE_INVALID', `${path}: item ${i + 1} has no ${it.day ? 'symbol' : 'date'}: a backtest's news file needs date,symbol,text`, EXIT.badInput);
  });
  const known = c.journal ? await readKnownScores(resolve(baseDir, c.journal), key) : new Map<string, DataOf<'SentimentScored'>>();
  const scorer = offline(c, baseDir);
  let scored: DataOf<'SentimentScored'>[];
  let reused = 0, fallbacks = 0;
  if (c.scorer === 'llm') {
    const llm = journaledLlm(c, known);
    const missing: SentimentItem[] = [];
    const fromJournal = items.map((it) => (llm ? known.get(reuseKey(textHashOf(it.text), llm)) : undefined) ?? (missing.push(it), null));
    const fb = await scoreItems(missing, { source: c.news, llm: null, offline: scorer, known: new Map(), fresh: true });
    let k = 0;
    scored = items.map((it, i) => {
      const j = fromJournal[i];
      if (j) { reused++; return { ...j, source: c.news, itemId: it.id, day: it.day, symbol: it.symbol }; }
      fallbacks++;
      return { ...fb.items[k++]!.scored, fallbackFor: 'NOT_JOURNALED' };
    });
  } else {
    const r = await scoreItems(items, { source: c.news, llm: null, offline: scorer, known, fresh: false });
    scored = r.items.map((x) => x.scored);
    reused = r.summary.reused;
  }
  const byDay = new Map<string, DomainEvent[]>();
  const sorted = [...days].sort();
  let di = 0;
  const order = scored.map((d, i) => ({ d, i })).sort((a, b) => (a.d.day! < b.d.day! ? -1 : a.d.day! > b.d.day! ? 1 : a.i - b.i));
  for (const { d } of order) {
    while (di < sorted.length && sorted[di]! < d.day!) di++;
    if (di >= sorted.length) break;
    const day = sorted[di]!;
    const list = byDay.get(day) ?? [];
    list.push({ type: 'SentimentScored', data: d });
    byDay.set(day, list);
  }
  return { byDay, items: items.length, reused, fallbacks };
}

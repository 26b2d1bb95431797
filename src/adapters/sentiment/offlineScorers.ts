import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import {
  compileModel, scoreWithLexicon, scoreWithModel, type Lexicon, type NgramModel, type SentimentScore, type SentimentScorer,
} from '../../domain/sentiment/index.js';
import type { SentimentFileError } from './fileError.js';
import { loadLexiconDir } from './lexiconFiles.js';
import { readModelFile } from './modelFile.js';

/** The `lexicon` scorer over a built lexicon; `modelId` is its `lexicon:<hash>`. Scores in the calling turn (no IO). */
export function lexiconScorer(lexicon: Lexicon, modelId: string): SentimentScorer {
  return {
    info: { scorer: 'lexicon', model: modelId, promptVersion: null },
    score: (texts) => Promise.resolve(texts.map((t): SentimentScore => scoreWithLexicon(lexicon, t))),
  };
}

/** The `model` scorer over a trained n-gram model; `modelId` is its `model:<hash of the file>`. */
export function modelScorer(model: NgramModel, modelId: string): SentimentScorer {
  const cm = compileModel(model);
  return {
    info: { scorer: 'model', model: modelId, promptVersion: null },
    score: (texts) => Promise.resolve(texts.map((t) => scoreWithModel(cm, t))),
  };
}

/** Loads the word lists in `dir` (all, or the stems in `only`) and returns the lexicon scorer. */
export function openLexiconScorer(dir: string, only?: readonly string[]): Either<SentimentFileError, SentimentScorer> {
  const l = loadLexiconDir(dir, only);
  return isLeft(l) ? l : right(lexiconScorer(l.right.lexicon, l.right.modelId));
}

/** Reads a model file and returns the model scorer. */
export function openModelScorer(path: string): Either<SentimentFileError, SentimentScorer> {
  const m = readModelFile(path);
  return isLeft(m) ? m : right(modelScorer(m.right.model, m.right.modelId));
}

export * from './scorer.js';
export * from './lexicon.js';
export * from './ngramModel.js';
export * from './ngramTrain.js';
export * from './evaluate.js';
export * from './factor.js';

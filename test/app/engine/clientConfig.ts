import { isRight } from 'fp-ts/lib/Either.js';
import { loadMarketRules } from '../../../src/adapters/market/index.js';
import { loadConfig } from '../../../src/app/config/index.js';

// The shipped market rules and the client's backtest config, loaded once for the engine tests.
const mrE = loadMarketRules('config/market');
if (!isRight(mrE)) throw new Error('config/market does not load');
export const mr = mrE;
const baseE = loadConfig('config/backtest.yaml');
if (!isRight(baseE)) throw new Error(baseE.left.problems.join('; '));
export const base = baseE;

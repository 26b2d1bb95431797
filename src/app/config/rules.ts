import { isLeft } from 'fp-ts/lib/Either.js';
import { emaCrossover, meanReversion, momentum, multiFactor } from '../../domain/strategy/index.js';
import type { AnyStrategy } from '../engine/kernel.js';
import { parseSlippage } from '../../domain/execution/matching.js';
import type { AccountFees, MarketRules } from '../../domain/rules/marketRules.js';
import type { ExecutionModel } from '../../adapters/broker/simulatedExchange.js';
import { cnyToFen, rateFromFraction, smaCrossover } from '../../domain/index.js';
import type { EngineRules } from '../engine/closeStep.js';
import type { AppConfig } from './appConfig.js';
import { riskRules } from '../engine/riskSteps.js';

/** The deciders a config describes. Audit replays call this with the config recorded in `RunStarted`. */
export function rulesFromConfig(c: AppConfig, marketRules: MarketRules): EngineRules<unknown> {
  return {
    strategy: strategyFromConfig(c.strategy) as AnyStrategy<unknown>,
    sizing: { maxPositions: c.portfolio.maxPositions, positionWeight: c.portfolio.positionWeight, turnoverThreshold: c.portfolio.turnoverThreshold },
    marketRules, account: accountFromConfig(c),
    optimize: {
      optimizer: c.portfolio.optimizer, riskAversion: c.portfolio.riskAversion, maxWeight: c.portfolio.maxWeight,
      minObservations: 20, shrinkage: 0.1,
    },
    positionSizing: c.portfolio.sizing,
    risk: riskRules(c.risk),
  };
}

/** The built-in strategy a config names, with its parameters. */
export function strategyFromConfig(s: AppConfig['strategy']): AnyStrategy<never> {
  switch (s.name) {
    case 'sma-crossover': return smaCrossover(s.params) as unknown as AnyStrategy<never>;
    case 'ema-crossover': return emaCrossover(s.params) as unknown as AnyStrategy<never>;
    case 'mean-reversion': return meanReversion(s.params) as unknown as AnyStrategy<never>;
    case 'momentum': return momentum(s.params) as unknown as AnyStrategy<never>;
    case 'multi-factor': return multiFactor(s.params) as unknown as AnyStrategy<never>;
  }
}

/** The account's broker terms a config describes. */
export function accountFromConfig(c: AppConfig): AccountFees {
  return {
    commissionRate: rateFromFraction(c.execution.commissionRate), minCommissionFen: cnyToFen(c.execution.minCommission),
    regulatoryFeesInsideCommission: !c.execution.feesSeparate,
  };
}

/** The simulated execution model a config describes. */
export function executionFromConfig(c: AppConfig): ExecutionModel {
  const slippage = parseSlippage(c.execution.slippage);
  if (isLeft(slippage)) throw new Error(slippage.left.message); // the schema already refused it
  const marketPrice = c.execution.fill === 'next-vwap' ? 'vwap' : c.execution.fill === 'next-close' ? 'close' : 'open';
  return { marketPrice, participation: c.execution.participation, slippage: slippage.right };
}

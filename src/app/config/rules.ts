import { isLeft } from 'fp-ts/lib/Either.js';
import type { SmaCrossoverState } from '../../domain/index.js';
import { parseSlippage } from '../../domain/execution/matching.js';
import type { AccountFees, MarketRules } from '../../domain/rules/marketRules.js';
import type { ExecutionModel } from '../../adapters/broker/simulatedBroker.js';
import { cnyToFen, rateFromFraction, smaCrossover } from '../../domain/index.js';
import type { EngineRules } from '../engine/dayCycle.js';
import type { AppConfig } from './appConfig.js';

/** The deciders a config describes. Audit replays call this with the config recorded in `RunStarted`. */
export function rulesFromConfig(c: AppConfig, marketRules: MarketRules): EngineRules<SmaCrossoverState> {
  return {
    strategy: smaCrossover(c.strategy.params),
    sizing: { maxPositions: c.portfolio.maxPositions, positionWeight: c.portfolio.positionWeight },
    marketRules, account: accountFromConfig(c),
  };
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

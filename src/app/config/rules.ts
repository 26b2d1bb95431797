import type { SmaCrossoverState } from '../../domain/index.js';
import { cnyToFen, rateFromFraction, smaCrossover } from '../../domain/index.js';
import type { EngineRules } from '../engine/dayCycle.js';
import type { AppConfig } from './appConfig.js';

/** The deciders a config describes. Audit replays call this with the config recorded in `RunStarted`. */
export function rulesFromConfig(c: AppConfig): EngineRules<SmaCrossoverState> {
  return {
    strategy: smaCrossover(c.strategy.params),
    sizing: { maxPositions: c.portfolio.maxPositions, positionWeight: c.portfolio.positionWeight },
    commission: { rate: rateFromFraction(c.execution.commissionRate), minimum: cnyToFen(c.execution.minCommission) },
  };
}

import type { RiskConfig, RiskRuleName } from './riskConfig.js';
import {
  availability, cancelRate, dailyLoss, disclosure, duplicate, killSwitch, maxDrawdown, noShort, orderRate, orderSize,
  positionCount, positionSize, priceCollar, restrictedList, sectorConcentration, stFilter,
  type RiskContext, type RiskDenyReason, type RiskOrderRequest, type RiskRule,
} from './rules/index.js';

export const RISK_RULES: Readonly<Record<RiskRuleName, RiskRule>> = {
  killSwitch, restrictedList, stFilter, noShort, availability, orderSize, priceCollar, positionSize, positionCount,
  sectorConcentration, dailyLoss, maxDrawdown, duplicate, orderRate, cancelRate, disclosure,
};

/** Identifies this rule set; record it (with the risk config's hash) on every decision. */
export const RISK_GATE_VERSION = 'risk-gate/1 (2026-11-24)';

export type RiskDecision =
  | { readonly approved: true }
  | { readonly approved: false; readonly reason: RiskDenyReason; readonly details: string; readonly rule: RiskRuleName };

/**
 * Runs the rules in `config.ruleOrder`; the first failure decides. Pure and deterministic: same
 * request, context and config → same decision.
 */
export function evaluateOrder(req: RiskOrderRequest, ctx: RiskContext, config: RiskConfig): RiskDecision {
  for (const rule of config.ruleOrder) {
    const r = RISK_RULES[rule](req, ctx, config);
    if (!r.ok) return { approved: false, reason: r.reason, details: r.details, rule };
  }
  return { approved: true };
}

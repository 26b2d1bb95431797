import { z } from 'zod';
import { DrawdownReactivationSchema } from './reactivation.js';

/** Every pre-trade risk rule, by name. `ruleOrder` in config/risk.yaml lists each exactly once. */
export const RiskRuleName = z.enum([
  'killSwitch', 'restrictedList', 'stFilter', 'noShort', 'availability', 'orderSize', 'priceCollar',
  'positionSize', 'positionCount', 'sectorConcentration', 'dailyLoss', 'maxDrawdown', 'duplicate',
  'orderRate', 'cancelRate', 'disclosure',
]);
export type RiskRuleName = z.infer<typeof RiskRuleName>;

const fraction = z.number().gt(0).lt(1);
const rate = z.strictObject({ perSecond: z.number().int().positive(), perDay: z.number().int().positive() });

/**
 * config/risk.yaml. Strict and WITHOUT defaults: a missing limit is an error, because a missing
 * config must never mean "no limits". Fractions are of equity (or of issued shares for disclosure).
 * The one optional key, `drawdownReactivation`, is not a limit: absent, it is the strictest policy.
 */
export const RiskConfigSchema = z.strictObject({
  /** Largest position (held + working buys + this order, at the order price) as a fraction of equity. */
  maxPositionPct: fraction,
  /** Most distinct symbols held or being bought. */
  maxPositions: z.number().int().positive(),
  /** Largest exposure to one sector as a fraction of equity. */
  maxSectorPct: z.number().gt(0).max(1),
  /** Limit price may differ from the last price by at most this fraction. */
  priceCollarPct: fraction,
  /** Also require the price inside the day's limit-up/limit-down band. */
  withinDailyBand: z.boolean(),
  maxOrderNotionalCny: z.number().positive(),
  maxOrderQty: z.number().int().positive(),
  /** Loss since the start of the day, fraction of start-of-day equity, at which buys stop. */
  dailyLossLimitPct: fraction,
  /** Drawdown from the equity peak at which the account goes REDUCING (sells only). */
  maxDrawdownPct: fraction,
  /**
   * What lifts the drawdown's REDUCING (domain/risk/reactivation.ts). The one optional key: absent
   * means `manual` (only a person), the strictest, and an absent key leaves the config's hash — and
   * so every recorded ruleVersion — as it was before the key existed.
   */
  drawdownReactivation: DrawdownReactivationSchema.optional(),
  restrictedSymbols: z.array(z.string().regex(/^\d{6}\.(SH|SZ|BJ)$/, 'expected a suffixed code like 600519.SH')),
  allowSt: z.boolean(),
  /** A cash (普通) account cannot sell what it does not hold (ashare-market-rules.md §9.5). */
  allowShort: z.literal(false, { error: 'must be false: a cash account cannot sell short (ashare-market-rules.md §9.5)' }),
  duplicateWindowSeconds: z.number().int().positive(),
  orderRate: rate,
  cancelRate: rate,
  /** Fraction of issued shares that must never be reached (5% triggers disclosure, §9.4). */
  disclosureThresholdPct: z.number().gt(0).max(0.05),
  /**
   * Protective exits (domain/risk/stops.ts). Every key is required; `null` turns that stop off, so
   * an omitted key is an error rather than a silent "off".
   */
  stops: z.strictObject({
    fixedPct: fraction.nullable(),
    trailingPct: fraction.nullable(),
    atrMultiple: z.number().gt(0).max(100).nullable(),
    /** Days of Wilder's ATR for ATR stops and volatility-target sizing. */
    atrPeriod: z.number().int().min(2).max(250),
    takeProfitPct: z.number().gt(0).max(100).nullable(),
    maxHoldingDays: z.number().int().positive().nullable(),
  }),
  /** The order the rules run in; the first that fails decides. */
  ruleOrder: z.array(RiskRuleName),
  /**
   * Rules deliberately switched off, each with why (recorded with the run). Every rule appears
   * exactly once, in ruleOrder or here, so a rule can only be off by saying so.
   */
  disabledRules: z.array(z.strictObject({ rule: RiskRuleName, why: z.string().min(1) })),
}).superRefine((c, ctx) => {
  const r = c.drawdownReactivation;
  // (An onRecovery of 1 or more is already reported as out of range.)
  if (r !== undefined && r !== 'manual' && r.onRecovery !== undefined && r.onRecovery < 1 && r.onRecovery >= c.maxDrawdownPct) {
    ctx.addIssue({ code: 'custom', path: ['drawdownReactivation', 'onRecovery'], message: `must be below maxDrawdownPct (${c.maxDrawdownPct}): at or above it the account would trade again at a drawdown past its own limit` });
  }
  const seen = new Set<string>();
  for (const [i, n] of c.ruleOrder.entries()) {
    if (seen.has(n)) ctx.addIssue({ code: 'custom', path: ['ruleOrder', i], message: `rule ${n} appears more than once` });
    seen.add(n);
  }
  for (const [i, d] of c.disabledRules.entries()) {
    if (seen.has(d.rule)) ctx.addIssue({ code: 'custom', path: ['disabledRules', i, 'rule'], message: `rule ${d.rule} is already ${c.ruleOrder.includes(d.rule) ? 'in ruleOrder' : 'disabled'}` });
    seen.add(d.rule);
  }
  const missing = RiskRuleName.options.filter((n) => !seen.has(n));
  if (missing.length) ctx.addIssue({ code: 'custom', path: ['ruleOrder'], message: `every rule must appear once, in ruleOrder or disabledRules; missing ${missing.join(', ')}` });
});
export type RiskConfig = z.infer<typeof RiskConfigSchema>;

/** One dated row of the exchanges' high-frequency thresholds (orders + cancels of one account). */
export const HftThresholdRow = z.strictObject({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  perSecond: z.number().int().positive(),
  perDay: z.number().int().positive(),
  source: z.string().min(1),
  note: z.string().optional(),
});
export type HftThresholdRow = z.infer<typeof HftThresholdRow>;
export const ProgrammaticFileSchema = z.strictObject({ hft: z.array(HftThresholdRow).min(1) });

/** Configured rates must stay below this share of the exchange HFT thresholds. */
export const HFT_HEADROOM = 0.5;

/**
 * The threshold row in force on `day`; with no day, or a day before every row, the strictest row
 * (staying under a later threshold early is harmless).
 */
export function hftThresholdsOn(rows: readonly HftThresholdRow[], day?: string): HftThresholdRow {
  const inForce = day === undefined ? [] : rows.filter((r) => r.from <= day && (r.to === undefined || day <= r.to));
  const pool = inForce.length ? inForce : rows;
  return pool.reduce((a, r) => (r.perSecond < a.perSecond || (r.perSecond === a.perSecond && r.perDay < a.perDay) ? r : a));
}

/**
 * The exchanges count orders AND cancels together (ashare-market-rules.md §9.2: ≥300/s or ≥20,000/day
 * is HFT), so the configured order and cancel rates together must stay under HFT_HEADROOM of each.
 * Returns one problem per offending key path.
 */
export function checkRateHeadroom(c: Pick<RiskConfig, 'orderRate' | 'cancelRate'>, t: HftThresholdRow): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const k of ['perSecond', 'perDay'] as const) {
    const sum = c.orderRate[k] + c.cancelRate[k];
    const cap = t[k] * HFT_HEADROOM;
    if (sum >= cap) {
      out.push({
        path: `orderRate.${k}`,
        message: `orderRate.${k} + cancelRate.${k} = ${sum} must be below ${cap} (${HFT_HEADROOM * 100}% of the exchange high-frequency threshold of ${t[k]} orders+cancels ${k === 'perSecond' ? 'per second' : 'per day'} in force from ${t.from}, ${t.source})`,
      });
    }
  }
  return out;
}

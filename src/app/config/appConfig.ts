import { isRight } from 'fp-ts/lib/Either.js';
import { z } from 'zod';
import { parseSlippage } from '../../domain/execution/matching.js';
import { OptimizerSchema } from '../../domain/portfolio/index.js';
import {
  EmaCrossoverParamsSchema, MeanReversionParamsSchema, MomentumParamsSchema, MultiFactorParamsSchema,
} from '../../domain/strategy/index.js';
import { isTradingDayString } from '../../domain/index.js';
import { RiskConfigSchema } from '../../domain/risk/riskConfig.js';
import { AlertsConfig } from '../../domain/alerts/index.js';
import { AirgapConfigSchema, DEFAULT_SCHEDULE, ScheduleConfigSchema } from '../../domain/schedule/index.js';
import { FractionalKellyParamsSchema, VolatilityTargetParamsSchema } from '../../domain/risk/sizing.js';

/**
 * How a signal strategy sizes a new position (domain/risk/sizing.ts): a fixed fraction of equity
 * (`portfolio.positionWeight`), a volatility target (risk budget over `atrMultiple` ATRs), or
 * fractional Kelly from the account's own closed round trips (the `prior` win rate and payoff until
 * `minTrades` trips have closed).
 */
export const SizingConfigSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('fixed-fraction') }),
  VolatilityTargetParamsSchema.extend({ method: z.literal('volatility-target') }),
  z.strictObject({
    method: z.literal('kelly'),
    fraction: FractionalKellyParamsSchema.shape.fraction,
    cap: FractionalKellyParamsSchema.shape.cap,
    minTrades: z.number().int().min(1).max(10_000),
    prior: z.strictObject({ winRate: FractionalKellyParamsSchema.shape.winRate, payoff: FractionalKellyParamsSchema.shape.payoff }),
  }),
]);
export type SizingConfig = z.infer<typeof SizingConfigSchema>;

const day = z.string().refine(isTradingDayString, { message: 'expected a date YYYY-MM-DD' });
const positiveInt = z.number().int().positive();

/**
 * The run configuration (YAML → this schema → frozen object, once at start-up). Unknown keys are
 * errors, so a typo never silently falls back to a default. Paths are relative to the config file.
 */
const AppConfigObject = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only (it names files)').default('backtest'),
  mode: z.enum(['backtest', 'paper', 'live']).default('backtest'),
  market: z.object({
    source: z.enum(['synthetic', 'csv', 'store']),
    synthetic: z.object({
      symbols: positiveInt.max(10_000),
      days: positiveInt.max(10_000),
      seed: z.number().int().nonnegative(),
      startDay: day.default('2022-01-04'),
      /** Quarterly fundamentals reports for the synthetic universe (for value and quality factors). */
      fundamentals: z.boolean().default(true),
    }).strict().optional(),
    /** Canonical bar CSV (`symbol,date,open,high,low,close,volume,amount[,pre_close][,is_st]`). */
    bars: z.string().min(1).optional(),
    /**
     * Optional instruments CSV (`symbol,sector,total_shares`; either value may be empty) for csv and
     * store sources: the sector-concentration and disclosure rules read it.
     */
    instruments: z.string().min(1).optional(),
    /** Optional cash dividends CSV (`symbol,ex_date,cash_per_share`). */
    dividends: z.string().min(1).optional(),
    /** source: store — the local market store (`ashare data import`), relative to the config file; key from `storeKeyFile`. */
    store: z.string().min(1).optional(),
    storeKeyFile: z.string().min(1).optional(),
    /** Trading days to run on (store source). */
    from: day.optional(),
    to: day.optional(),
    /** Symbols to run on (store source); omitted = every stored symbol. */
    symbols: z.array(z.string().regex(/^\d{6}\.(SH|SZ|BJ)$/)).optional(),
    /**
     * csv and store sources: keep bars dated on days the exchange was closed (refused by default;
     * `--allow-non-trading-days`). Days beyond the calendar are refused regardless. Optional, not
     * defaulted, so configs without it keep their hash.
     */
    allowNonTradingDays: z.boolean().optional(),
  }).strict().superRefine((m, ctx) => {
    if (m.source === 'synthetic' && !m.synthetic) ctx.addIssue({ code: 'custom', path: ['synthetic'], message: 'required when source is synthetic' });
    if (m.source === 'csv' && !m.bars) ctx.addIssue({ code: 'custom', path: ['bars'], message: 'required when source is csv' });
    if (m.source === 'store' && !m.store) ctx.addIssue({ code: 'custom', path: ['store'], message: 'required when source is store' });
  }),
  account: z.object({
    /** Starting cash, CNY. */
    initialCash: z.number().positive().max(1e12),
    /**
     * Flat tax withheld from cash dividends at payment, fraction (0.1 = 10%). Individuals' real rate
     * depends on the holding period (ashare-market-rules.md §6.6, unconfirmed there): configure it.
     */
    dividendTaxRate: z.number().min(0).max(1).default(0),
  }).strict(),
  /** The strategy and its parameters (each built-in documents its rules in src/domain/strategy). */
  strategy: z.discriminatedUnion('name', [
    z.object({
      name: z.literal('sma-crossover'),
      params: z.object({ fast: positiveInt, slow: positiveInt }).strict()
        .refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow' }),
    }).strict(),
    z.object({
      name: z.literal('ema-crossover'),
      params: EmaCrossoverParamsSchema.refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow' }),
    }).strict(),
    z.object({ name: z.literal('mean-reversion'), params: MeanReversionParamsSchema }).strict(),
    z.object({ name: z.literal('momentum'), params: MomentumParamsSchema }).strict(),
    z.object({ name: z.literal('multi-factor'), params: MultiFactorParamsSchema }).strict(),
  ]),
  portfolio: z.object({
    maxPositions: positiveInt.max(10_000).default(20), // the whole market (about 5,400 A-shares) fits
    /** Target weight of each new position, fraction of equity. */
    positionWeight: z.number().positive().max(1).default(0.05),
    /** Target-weight strategies: skip a rebalance whose one-way turnover (½·Σ|Δw|) is below this. */
    turnoverThreshold: z.number().min(0).max(1).default(0.05),
    /** Target-weight strategies: how the picked names are weighted (covariance of their last 60 daily returns). */
    optimizer: OptimizerSchema.default('equal'),
    /** Mean-variance: risk aversion λ and the cap per name (fraction of the invested budget). */
    riskAversion: z.number().positive().max(1000).default(5),
    maxWeight: z.number().positive().max(1).default(0.2),
    /** Signal strategies: how a new position is sized (see SizingConfigSchema). */
    sizing: SizingConfigSchema.default({ method: 'fixed-fraction' }),
  }).strict().default({ maxPositions: 20, positionWeight: 0.05, turnoverThreshold: 0.05, optimizer: 'equal', riskAversion: 5, maxWeight: 0.2, sizing: { method: 'fixed-fraction' } }),
  /**
   * The pre-trade risk limits and stops (config/risk.yaml). In YAML a path to the risk file,
   * relative to the config; loading replaces it with the file's validated content, so the run's
   * recorded config (RunStarted) carries every limit it ran under. Required: a run never starts
   * without limits.
   */
  risk: RiskConfigSchema,
  execution: z.object({
    /** Market orders placed at a close fill on the next trading day at its open, VWAP (amount/volume) or close. */
    fill: z.enum(['next-open', 'next-vwap', 'next-close']).default('next-open'),
    /** Broker commission, fraction of turnover (0.00025 = 0.025%); the legal cap is 0.3%. */
    commissionRate: z.number().min(0).max(0.003).default(0.00025),
    /** Minimum commission per order, CNY. */
    minCommission: z.number().min(0).max(1000).default(5),
    /** Exchange handling and CSRC fees charged on top of the commission (most retail accounts: inside it). */
    feesSeparate: z.boolean().default(false),
    /** Largest share of a day's volume one order may take, (0, 1]; the rest of a day order expires. */
    participation: z.number().gt(0).max(1).default(1),
    /** `none`, `bps:N`, `ticks:N` or `sqrt:K:SIGMA` (square-root impact). */
    slippage: z.string().refine((s) => isRight(parseSlippage(s)), { message: 'expected none, bps:N, ticks:N or sqrt:K:SIGMA' }).default('none'),
  }).strict().default({ fill: 'next-open', commissionRate: 0.00025, minCommission: 5, feesSeparate: false, participation: 1, slippage: 'none' }),
  /**
   * The trading day's steps in Asia/Shanghai time (domain/schedule): `ashare run` sleeps between
   * them; a backtest runs the same steps back to back (their times stamp its events).
   */
  schedule: ScheduleConfigSchema.default(DEFAULT_SCHEDULE),
  /**
   * Where `ashare run` sends orders: `paper` (the simulated broker with books of its own in a file
   * beside the journal; `stateFile` overrides where) or `file-bridge` (order files for a broker's
   * terminal in `dir`, relative to the config; see the README for the format). Backtests always use
   * the paper broker in memory.
   */
  broker: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('paper'), stateFile: z.string().min(1).optional() }),
    z.strictObject({ kind: z.literal('file-bridge'), dir: z.string().min(1) }),
  ]).default({ kind: 'paper' }),
  /**
   * What a difference with the broker's positions or cash does: `halt` (no new orders until a
   * person re-activates trading) or `adopt` (the journal takes the broker's figures, saying so).
   */
  reconciliation: z.strictObject({ policy: z.enum(['halt', 'adopt']).default('halt') }).default({ policy: 'halt' }),
  /**
   * The alert rules the service journals AlertRaised/AlertCleared by (domain/alerts), the service's
   * heartbeat, the dashboard's verification interval and an optional local notification command.
   * Absent means the defaults (DEFAULT_ALERTS_CONFIG) and leaves the config's hash as it was, so a
   * journal started before this section existed still resumes.
   */
  alerts: AlertsConfig.optional(),
  /**
   * The air-gapped mode (README): inside `window` on trading days no outgoing connection but to
   * `allow` leaves the service's process. Absent = off (and the config's hash unchanged).
   */
  airgap: AirgapConfigSchema.optional(),
  /**
   * News sentiment for backtests: the news file (date,symbol,text) is scored (or its scores taken
   * from a sentiment journal) and journaled as SentimentScored market data, which the multi-factor
   * strategy weighs as weights.sentiment. Paths relative to this file. Absent: none.
   */
  sentiment: z.strictObject({
    news: z.string().min(1),
    scorer: z.enum(['lexicon', 'model', 'llm']).default('model'),
    model: z.string().min(1).optional(),
    lexicons: z.string().min(1).optional(),
    journal: z.string().min(1).optional(),
    /**
     * scorer llm: whose journaled scores to read — the model as journaled (`deepseek-chat@api.deepseek.com`)
     * or its name alone, and the prompt version (`llm-sentiment-v1`). Absent: the only one the journal holds.
     */
    llmModel: z.string().min(1).optional(),
    promptVersion: z.string().min(1).optional(),
  }).optional(),
  /**
   * A market-data update the service runs itself each trading day at `time` (Asia/Shanghai), with
   * the data pipeline config `config` (relative to this file) and its primary provider. Schedule it
   * after the air-gap window: inside it the update cannot reach the provider.
   */
  dataUpdate: z.strictObject({
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
    config: z.string().min(1),
  }).optional(),
  journal: z.object({
    dir: z.string().min(1).default('journal'),
    /** Relative to the working directory. `fast` (backtests: WAL + synchronous=NORMAL) or `durable` (WAL + synchronous=FULL, required live/paper). */
    durability: z.enum(['fast', 'durable']).default('fast'),
    /** A file with a 64-hex-digit AES-256 key; or set `passphraseEnv` to read a passphrase from the environment. */
    keyFile: z.string().min(1).nullable().default(null),
    passphraseEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).nullable().default(null),
  }).strict().default({ dir: 'journal', durability: 'fast', keyFile: null, passphraseEnv: null }),
}).strict();

function crossChecks(c: { mode: string; journal: { durability: string }; broker: { kind: string } }, ctx: z.RefinementCtx): void {
  if (c.mode === 'live' && c.broker.kind === 'paper') {
    ctx.addIssue({ code: 'custom', path: ['broker', 'kind'], message: 'mode live trades a real account: set broker.kind to file-bridge (the paper broker is for mode paper)' });
  }
  // A paper or live journal is the audit trail of real decisions: every commit must reach the disk.
  if (c.mode !== 'backtest' && c.journal.durability !== 'durable') {
    ctx.addIssue({ code: 'custom', path: ['journal', 'durability'], message: `must be durable in ${c.mode} mode` });
  }
}

export const AppConfigSchema = AppConfigObject.superRefine(crossChecks);
/** Everything but `risk`: reports the rest of a config whose risk file could not be read. */
export const AppConfigWithoutRiskSchema = AppConfigObject.omit({ risk: true }).superRefine(crossChecks);

export type AppConfig = z.infer<typeof AppConfigSchema>;

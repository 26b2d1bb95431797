import { z } from 'zod';
import type { Board } from '../market/board.js';
import type { TradingDay } from '../tradingDay.js';
import { datedFields, toNotBeforeFrom, zBandBp, zClock, zCnyFen, zCnyMilli, zRatePpb, zSource } from './ruleValues.js';

/**
 * Schemas of the dated rule tables under config/market (one per file) and the parsed types. Every row
 * names its source (a tag of ashare-market-rules.md and what the rule is) and its effective dates;
 * values where the reference marks doubt say so in `source`/`note`, so they can be changed as data.
 * Cross-row checks (overlaps, one row per key) are in checkRuleTables.ts.
 */
export const BOARDS = ['SSE_MAIN', 'STAR', 'SZSE_MAIN', 'CHINEXT', 'BSE', 'INDEX', 'FUND', 'B_SHARE'] as const;
export const zBoard = z.enum(BOARDS);
// The schema's boards and the domain's Board type must be the same set.
const sameBoards: [Board] extends [z.infer<typeof zBoard>] ? ([z.infer<typeof zBoard>] extends [Board] ? true : never) : never = true;
void sameBoards;

export const zExchange = z.enum(['SH', 'SZ', 'BJ']);
const zBoards = z.array(zBoard).min(1);

/** boards.yaml: a code prefix on an exchange → board. */
export const zBoardRow = z
  .strictObject({ exchange: zExchange, prefixes: z.array(z.string().regex(/^\d{1,3}$/, 'must be 1–3 digits')).min(1), board: zBoard, ...datedFields })
  .superRefine(toNotBeforeFrom);
export const zBoardsFile = z.strictObject({ boards: z.array(zBoardRow).min(1) });

/** price-limits.yaml `bands`: the daily band by board × status, on trading days in [from, to]. */
export const zBandRow = z
  .strictObject({ boards: zBoards, status: z.enum(['normal', 'st', 'any']), band: zBandBp, ...datedFields })
  .superRefine(toNotBeforeFrom);

/**
 * price-limits.yaml `ipo`: rules for securities whose listing day lies in [from, to]: either no limit
 * on the first `noLimitDays` trading days, or an asymmetric band on the listing day (of the offer price).
 */
export const zIpoRow = z
  .strictObject({
    boards: zBoards,
    noLimitDays: z.int().min(1).max(20).optional(),
    listingDayBand: z.strictObject({ up: zBandBp, down: zBandBp }).optional(),
    ...datedFields,
  })
  .superRefine((v, ctx) => {
    toNotBeforeFrom(v, ctx);
    if ((v.noLimitDays === undefined) === (v.listingDayBand === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of noLimitDays and listingDayBand', path: ['noLimitDays'] });
    }
  });
export const zPriceLimitsFile = z.strictObject({ bands: z.array(zBandRow).min(1), ipo: z.array(zIpoRow) });

/** trading.yaml */
export const zTickRow = z.strictObject({ boards: zBoards, tick: zCnyMilli, ...datedFields }).superRefine(toNotBeforeFrom);
export const zLotRow = z
  .strictObject({
    boards: zBoards,
    minBuy: z.int().positive(),
    step: z.int().positive(),
    /** A holding below one lot (main: the odd part, STAR/BSE: a holding under minBuy) is sold in one order. */
    oddLotSell: z.literal('whole'),
    ...datedFields,
  })
  .superRefine(toNotBeforeFrom);
export const zMaxOrderRow = z
  .strictObject({ boards: zBoards, orderType: z.enum(['limit', 'market', 'after_hours']), maxQty: z.int().positive(), ...datedFields })
  .superRefine(toNotBeforeFrom);
export const zSessionRow = z
  .strictObject({
    exchanges: z.array(zExchange).min(1),
    boards: zBoards,
    phase: z.enum(['opening_auction', 'pre_open', 'continuous', 'closing_auction', 'after_hours']),
    start: zClock,
    end: zClock,
    acceptsOrders: z.boolean(),
    acceptsCancels: z.boolean(),
    ...datedFields,
  })
  .superRefine((v, ctx) => {
    toNotBeforeFrom(v, ctx);
    if (v.end <= v.start) ctx.addIssue({ code: 'custom', message: `${v.end} is not after start ${v.start}`, path: ['end'] });
  });
export const zTradingFile = z.strictObject({
  ticks: z.array(zTickRow).min(1),
  lots: z.array(zLotRow).min(1),
  maxOrderSize: z.array(zMaxOrderRow),
  sessions: z.array(zSessionRow).min(1),
});

/** fees.yaml: one statutory fee component, per side, as a rate of turnover (or of par value, see fees). */
export const zFeeRow = z
  .strictObject({
    boards: zBoards,
    sides: z.array(z.enum(['buy', 'sell'])).min(1).default(['buy', 'sell']),
    basis: z.enum(['turnover', 'par_value']).default('turnover'),
    rate: zRatePpb,
    ...datedFields,
  })
  .superRefine(toNotBeforeFrom);
export const zCommissionDefaults = z.strictObject({
  rate: zRatePpb,
  minimum: zCnyFen,
  maxRate: zRatePpb,
  regulatoryFeesInsideCommission: z.boolean(),
  source: zSource,
  note: z.string().optional(),
});
export const zFeesFile = z.strictObject({
  stampDuty: z.array(zFeeRow).min(1),
  transferFee: z.array(zFeeRow).min(1),
  handlingFee: z.array(zFeeRow).min(1),
  regulatoryFee: z.array(zFeeRow).min(1),
  commission: zCommissionDefaults,
});

export type BoardRow = z.output<typeof zBoardRow>;
export type BandRow = z.output<typeof zBandRow>;
export type IpoRow = z.output<typeof zIpoRow>;
export type TickRow = z.output<typeof zTickRow>;
export type LotRow = z.output<typeof zLotRow>;
export type MaxOrderRow = z.output<typeof zMaxOrderRow>;
export type SessionRow = z.output<typeof zSessionRow>;
export type FeeRow = z.output<typeof zFeeRow>;
export type CommissionDefaults = z.output<typeof zCommissionDefaults>;
export type PriceLimitTable = z.output<typeof zPriceLimitsFile>;
export type TradingTable = z.output<typeof zTradingFile>;
export type FeeTable = z.output<typeof zFeesFile>;
export type FeeComponent = Exclude<keyof FeeTable, 'commission'>;

/** The exchange calendar as data: weekday closures within [firstDay, lastDay] (config/market/holidays.yaml). */
export interface CalendarTable {
  readonly firstDay: TradingDay;
  readonly lastDay: TradingDay;
  readonly closures: readonly TradingDay[];
}

/** Every market-rule table, parsed; `createMarketRules` turns it into the MarketRules port. */
export interface MarketRuleTables {
  readonly boards: readonly BoardRow[];
  readonly priceLimits: PriceLimitTable;
  readonly trading: TradingTable;
  readonly fees: FeeTable;
  readonly calendar: CalendarTable;
}

/** The file each table comes from (under config/market), for error messages. */
export const RULE_FILES = {
  boards: 'boards.yaml',
  priceLimits: 'price-limits.yaml',
  trading: 'trading.yaml',
  fees: 'fees.yaml',
  calendar: 'holidays.yaml',
} as const satisfies Record<keyof MarketRuleTables, string>;

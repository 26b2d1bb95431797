import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import type { Side } from '../events/primitives.js';
import type { Board, LimitPrices, LotRule } from '../market/board.js';
import type { RatePpb } from '../money.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * The A-share market's rules on a given trading day, read from dated tables (config/market/*.yaml,
 * each row with its effective date and source). Every function takes the trading day, so a 2022
 * backtest uses 2022's rules. Built by `createMarketRules(tables)`; the tables' canonical hash is
 * `version`, recorded with every decision that used them.
 */
export interface MarketRules {
  /** SHA-256 (hex) of the canonical rule tables. */
  readonly version: string;
  readonly calendar: TradingCalendar;
  boardOf(symbol: string): Board;
  /** Price tick in 0.001 CNY (10 for stocks, 1 for funds). */
  tickMilli(symbol: string): number;
  lotRule(symbol: string): LotRule;
  /** Largest quantity one order may carry, shares; null when the tables give no cap. */
  maxOrderQty(symbol: string, orderType: 'market' | 'limit', day: TradingDay): number | null;
  /**
   * Limit-up/limit-down prices of `day`: `refPrice × (1 ± band)` rounded half-up to the tick, the
   * band by board × ST status × date; null on a day without price limit (IPO no-limit days by board
   * and listing date). `refPrice` is the exchange reference price (previous close, or the
   * ex-rights reference on an ex-date), 0.001 CNY. `listDay` is the first trading day, if known.
   */
  priceLimits(q: PriceLimitQuery): LimitPrices | null;
  /** Fees of one fill (see FeeBreakdown), by the schedules in force on `day`. */
  fees(q: FeeQuery): FeeBreakdown;
  /** The trading phases of `day` for the symbol's exchange, in time order. */
  sessions(symbol: string, day: TradingDay): readonly Session[];
}

export interface PriceLimitQuery {
  readonly symbol: string;
  readonly day: TradingDay;
  readonly refPrice: number;
  readonly isSt: boolean;
  readonly listDay: TradingDay | null;
}

/** An account's negotiated broker terms. */
export interface AccountFees {
  /** Commission, parts per billion of turnover (0.025% = 250_000). */
  readonly commissionRate: RatePpb;
  /** Minimum commission per order, fen (charged once per order, not per fill). */
  readonly minCommissionFen: number;
  /**
   * True (the common retail case): exchange handling and CSRC fees are inside the quoted
   * commission. False: they are charged separately on top.
   */
  readonly regulatoryFeesInsideCommission: boolean;
}

export interface FeeQuery {
  readonly side: Side;
  readonly symbol: string;
  readonly day: TradingDay;
  /** Turnover of this fill, fen. */
  readonly notionalFen: number;
  readonly account: AccountFees;
  /** Un-floored commission of the order's earlier fills; null for its first fill. */
  readonly previousRawCommissionFen: number | null;
}

/** Every amount in fen, each rounded half-up. */
export interface FeeBreakdown {
  readonly commissionFen: number;
  readonly stampDutyFen: number;
  readonly transferFeeFen: number;
  /** Exchange handling fee (经手费); 0 when inside commission. */
  readonly handlingFeeFen: number;
  /** CSRC securities management fee (证管费); 0 when inside commission. */
  readonly regulatoryFeeFen: number;
  /** This fill's commission before the per-order minimum (feed it back as previousRawCommissionFen). */
  readonly rawCommissionFen: number;
}

export type SessionPhase = 'opening_auction' | 'pre_open' | 'continuous' | 'closing_auction' | 'after_hours';

export interface Session {
  readonly phase: SessionPhase;
  /** Exchange time `HH:MM`. */
  readonly start: string;
  readonly end: string;
  readonly acceptsOrders: boolean;
  readonly acceptsCancels: boolean;
}

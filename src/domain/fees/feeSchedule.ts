import type { Side } from '../events/primitives.js';
import type { Fen, RatePpb } from '../money.js';
import { applyRate, fen, ratePpb } from '../money.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * Statutory A-share trading costs by date, per side. Sources (see ../shared/reference/ashare-market-rules.md §6):
 * - stamp duty (印花税), seller only: 0.1% from 2008-09-19, 0.05% from 2023-08-28 (MoF notices; [V] S34, S35);
 * - transfer fee (过户费, CSDC), both sides, on turnover: 0.02‰ from 2015-08-01, 0.01‰ from 2022-04-29 ([V] S36, S37).
 * Broker commission is negotiated: rate and per-order minimum come from the account configuration.
 * Issue 3 moves these rows into dated tables under config/market/.
 */
interface DatedRate { readonly from: TradingDay; readonly rate: RatePpb; readonly source: string }

export const STAMP_DUTY_SELL: readonly DatedRate[] = [
  { from: '2008-09-19' as TradingDay, rate: ratePpb(1_000_000), source: 'MoF 2008-09-18: 0.1%, seller only' },
  { from: '2023-08-28' as TradingDay, rate: ratePpb(500_000), source: 'MoF/STA 2023-08-27: halved to 0.05%' },
];

export const TRANSFER_FEE: readonly DatedRate[] = [
  { from: '2015-08-01' as TradingDay, rate: ratePpb(20_000), source: 'CSDC 2015: 0.02‰ of turnover, SH and SZ' },
  { from: '2022-04-29' as TradingDay, rate: ratePpb(10_000), source: 'CSDC 2022-04: cut to 0.01‰ of turnover' },
];

/** The row in force on `day` (rows ascending by `from`); undefined before the first row. */
export function rateInForce(rows: readonly DatedRate[], day: TradingDay): DatedRate | undefined {
  let found: DatedRate | undefined;
  for (const r of rows) if (r.from <= day) found = r;
  return found;
}

export interface CommissionTerms {
  /** Broker commission rate, parts per billion (0.025% = 250_000). */
  readonly rate: RatePpb;
  /** Minimum per order, fen (5 CNY = 500). */
  readonly minimum: Fen;
}

export interface Fees {
  readonly commissionFen: Fen;
  readonly stampDutyFen: Fen;
  readonly transferFeeFen: Fen;
}

/**
 * Fees of one fill. The commission minimum is per order, not per fill (as rqalpha does): with
 * `previousRawCommissionFen` the un-floored commission of the order's earlier fills (`null` for
 * the order's first fill — not 0, which a tiny earlier fill can round to), this fill pays
 * `max(raw_total, minimum) − max(raw_before, minimum)`. Everything is rounded half-up to the fen.
 */
export function computeFees(
  side: Side, notional: Fen, day: TradingDay, terms: CommissionTerms, previousRawCommissionFen: number | null = null,
): Fees & { readonly rawCommissionFen: Fen } {
  const raw = applyRate(notional, terms.rate, 'halfUp');
  const prior = previousRawCommissionFen ?? 0;
  const before = previousRawCommissionFen === null ? 0 : Math.max(prior, terms.minimum);
  const after = Math.max(prior + raw, terms.minimum);
  const stamp = side === 'sell' ? rateInForce(STAMP_DUTY_SELL, day) : undefined;
  const transfer = rateInForce(TRANSFER_FEE, day);
  return {
    commissionFen: fen(after - before),
    stampDutyFen: stamp ? applyRate(notional, stamp.rate, 'halfUp') : fen(0),
    transferFeeFen: transfer ? applyRate(notional, transfer.rate, 'halfUp') : fen(0),
    rawCommissionFen: raw,
  };
}

export const totalFees = (f: Fees): number => f.commissionFen + f.stampDutyFen + f.transferFeeFen;

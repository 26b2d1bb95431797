import type { EventOf } from '../events/domainEvent.js';
import { mulDivRound } from '../money.js';
import type { TradingDay } from '../tradingDay.js';
import type { CorporateAction, DividendReceivable } from './corporateAction.js';
import { assertCorporateAction, dividendAmountFen, distributedShares } from './corporateAction.js';

/** What the broker/registrar reports about corporate actions on a trading day. */
export type CorporateActionAnswer = EventOf<'DividendEntitled'> | EventOf<'SharesDistributed'> | EventOf<'DividendPaid'>;

export interface CorporateActionOptions {
  /**
   * Dividends entitled on earlier days and not yet paid (the portfolio's `receivables`): those with
   * `payDay = day` are paid today. Entitlements created today with `payDay = day` are paid too.
   */
  readonly receivables?: readonly DividendReceivable[];
  /**
   * Flat dividend tax withheld at payment, in parts per billion of the gross (default 0; 10% is
   * 100,000,000), rounded half-up to the fen. A simplification of §6.6: the real individual rate
   * depends on the holding period and is withheld when the shares are sold.
   */
  readonly dividendTaxRatePpb?: number;
}

const bySymbol = <T extends { readonly symbol: string }>(a: T, b: T): number => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/**
 * The broker/registrar's corporate-action events for `day`, pure and in a fixed order:
 * 1. for each action whose ex-day is `day` (by symbol) and whose symbol `holdings` reports held —
 *    `holdings` must answer the quantity at the previous close, i.e. the record-day close —
 *    `DividendEntitled` (cash per pre-distribution share, amount rounded down to the fen; skipped when
 *    it rounds to 0) and then `SharesDistributed` (each quantity rounded down; skipped when no share
 *    results). Entitlement first because the cash is per share held before the distribution.
 * 2. `DividendPaid` for every entitlement whose pay day is `day` (earlier ones from
 *    `opts.receivables`, then today's), by symbol, gross `amountFen` with `taxFen` withheld.
 * Rights issues (配股) produce no event: subscribing is the holder's decision. Malformed actions throw.
 */
export function corporateActionAnswers(
  actions: readonly CorporateAction[], day: TradingDay, holdings: (symbol: string) => number, opts: CorporateActionOptions = {},
): CorporateActionAnswer[] {
  const rate = opts.dividendTaxRatePpb ?? 0;
  if (!(Number.isSafeInteger(rate) && rate >= 0 && rate <= 1_000_000_000)) {
    throw new RangeError(`dividendTaxRatePpb must be an integer in [0, 10^9] (got ${rate})`);
  }
  const out: CorporateActionAnswer[] = [];
  const entitledToday: DividendReceivable[] = [];
  const today = actions.filter((a) => a.exDay === day).sort(bySymbol);
  for (const a of today) {
    assertCorporateAction(a);
    const qty = holdings(a.symbol);
    if (!(Number.isSafeInteger(qty) && qty > 0)) continue;
    const amountFen = a.cashPerShareMicro > 0 ? dividendAmountFen(qty, a.cashPerShareMicro) : 0;
    if (amountFen > 0) {
      const data = { day, symbol: a.symbol, qty, cashPerShareMicro: a.cashPerShareMicro, payDay: a.payDay, amountFen };
      out.push({ type: 'DividendEntitled', data });
      entitledToday.push({ symbol: a.symbol, exDay: day, payDay: a.payDay, qty, cashPerShareMicro: a.cashPerShareMicro, amountFen });
    }
    const bonusQty = distributedShares(qty, a.bonusPerShareMicro);
    const conversionQty = distributedShares(qty, a.conversionPerShareMicro);
    if (bonusQty + conversionQty > 0) {
      out.push({
        type: 'SharesDistributed',
        data: {
          day, symbol: a.symbol, qtyBefore: qty, bonusPerShareMicro: a.bonusPerShareMicro,
          conversionPerShareMicro: a.conversionPerShareMicro, bonusQty, conversionQty,
        },
      });
    }
  }
  const due = [
    ...(opts.receivables ?? []).filter((r) => r.payDay === day).slice().sort(bySymbol),
    ...entitledToday.filter((r) => r.payDay === day),
  ];
  for (const r of due) {
    const taxFen = mulDivRound(r.amountFen, rate, 1_000_000_000, 'halfUp');
    out.push({
      type: 'DividendPaid',
      data: { day, symbol: r.symbol, qty: r.qty, cashPerShareMicro: r.cashPerShareMicro, amountFen: r.amountFen, taxFen },
    });
  }
  return out;
}

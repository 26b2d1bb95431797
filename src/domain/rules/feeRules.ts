import type { Board } from '../market/board.js';
import { applyRate, fen, type Fen } from '../money.js';
import { buildKeyedIndex } from './datedIndex.js';
import type { AccountFees, FeeBreakdown, FeeQuery } from './marketRules.js';
import { RULE_FILES, type CommissionDefaults, type FeeComponent, type FeeTable } from './ruleTables.js';

/**
 * Fees of one fill (ashare-market-rules.md §6) by the schedules in force on the trading day. Each
 * amount is rounded half-up to the fen on its own. Commission: the per-order minimum is charged once
 * (as rqalpha does, §6.4): this fill pays `max(raw_before + raw, min) − max(raw_before, min)`, with
 * `raw_before` null for the first fill. Stamp duty by side and board (stocks only; funds exempt),
 * transfer fee both sides; handling and CSRC fees are 0 when the account's commission includes them.
 *
 * A board that a fee table never mentions pays nothing of that component (e.g. funds: no transfer
 * fee row); a board the table covers, queried on a day before its first row, throws — the table
 * cannot answer, and guessing would misstate costs. Transfer-fee rows with `basis: par_value`
 * (SSE before 2015-08-01) charge 0: FeeQuery carries turnover, not the share count the fee is on.
 */
export function createFees(table: FeeTable): (q: FeeQuery & { readonly board: Board }) => FeeBreakdown {
  const components = ['stampDuty', 'transferFee', 'handlingFee', 'regulatoryFee'] as const;
  const index = new Map(components.map((c) => [c, buildKeyedIndex(table[c], (r) => r.boards)]));

  const charge = (c: FeeComponent, q: FeeQuery & { readonly board: Board }): Fen => {
    const byBoard = index.get(c)!.get(q.board);
    if (!byBoard) return fen(0);
    const row = byBoard.at(q.day)[0];
    if (!row) throw new RangeError(`${RULE_FILES.fees} has no ${c} row for ${q.board} on ${q.day}`);
    if (!row.sides.includes(q.side) || row.basis === 'par_value') return fen(0);
    return applyRate(q.notionalFen as Fen, row.rate, 'halfUp');
  };

  return (q) => {
    if (!Number.isSafeInteger(q.notionalFen) || q.notionalFen < 0) throw new RangeError(`fees: notionalFen must be a non-negative integer (got ${q.notionalFen})`);
    const { commissionRate, minCommissionFen, regulatoryFeesInsideCommission } = q.account;
    const raw = applyRate(q.notionalFen as Fen, commissionRate, 'halfUp');
    const prior = q.previousRawCommissionFen;
    const before = prior === null ? 0 : Math.max(prior, minCommissionFen);
    const after = Math.max((prior ?? 0) + raw, minCommissionFen);
    return {
      commissionFen: after - before,
      stampDutyFen: charge('stampDuty', q),
      transferFeeFen: charge('transferFee', q),
      handlingFeeFen: regulatoryFeesInsideCommission ? 0 : charge('handlingFee', q),
      regulatoryFeeFen: regulatoryFeesInsideCommission ? 0 : charge('regulatoryFee', q),
      rawCommissionFen: raw,
    };
  };
}

/** The account terms fees.yaml gives as defaults (0.025%, 5 CNY minimum, regulatory fees inside). */
export const defaultAccountFees = (c: CommissionDefaults): AccountFees => ({
  commissionRate: c.rate,
  minCommissionFen: c.minimum,
  regulatoryFeesInsideCommission: c.regulatoryFeesInsideCommission,
});

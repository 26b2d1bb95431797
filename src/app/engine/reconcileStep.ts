import type { DataOf, TradingDay } from '../../domain/index.js';
import { mulDivRound } from '../../domain/index.js';
import type { Stager } from './stager.js';

export type ReconcilePolicy = 'halt' | 'adopt';

/** How the journal names the occasion of a reconciliation in its sentences. */
export const reconcileWhy = (occasion: 'close' | 'resume'): string => (occasion === 'close' ? 'at the close' : 'on resume');

/**
 * Reconciliation: the broker's positions and cash (journaled first, as the input they are) against
 * the journal's projection. Quantities per symbol and cash (the broker's available plus frozen)
 * must agree to the share and the fen. A clean comparison is ReconciliationPassed. Each difference
 * is a ReconciliationBreak and an alert; then `halt` moves the account to HALTED (no new orders
 * until a person re-activates it), `adopt` journals adjustments that make the projection match
 * the broker, saying so. Pure over the stager's kernel; an audit replay re-decides it from the
 * recorded broker state. Returns the number of breaks.
 */
export function reconcileStep<S>(st: Stager<S>, broker: DataOf<'BrokerStateReported'>, policy: ReconcilePolicy, at: number, why: string): number {
  const day = broker.day as TradingDay;
  const reportedId = st.stage({ type: 'BrokerStateReported', data: broker }, at);
  const p = st.kernel.projections.portfolio;
  const theirs = new Map(broker.positions.map((x) => [x.symbol, x]));
  const symbols = [...new Set([...p.positions.keys(), ...theirs.keys()])].sort();
  type Break = DataOf<'ReconciliationBreak'>;
  const breaks: Break[] = [];
  for (const symbol of symbols) {
    const ours = p.positions.get(symbol)?.qty ?? 0, their = theirs.get(symbol)?.quantity ?? 0;
    if (ours !== their) breaks.push({ day, symbol, field: 'quantity', ours, theirs: their, policy });
  }
  const theirCash = broker.cashFen + broker.frozenCashFen;
  if (p.cashFen !== theirCash) breaks.push({ day, symbol: null, field: 'cash', ours: p.cashFen, theirs: theirCash, policy });
  if (breaks.length === 0) {
    st.stage({ type: 'ReconciliationPassed', data: { day, positions: p.positions.size, cashFen: p.cashFen } }, at, reportedId);
    return 0;
  }
  for (const b of breaks) st.stage({ type: 'ReconciliationBreak', data: b }, at, reportedId);
  const list = breaks.map((b) => `${b.symbol ?? 'cash'} ours ${b.ours} theirs ${b.theirs}`).join('; ');
  st.stage({ type: 'AlertRaised', data: { code: 'RECONCILIATION_BREAK', level: 'critical', day, message: `${breaks.length} difference(s) with the broker ${why}: ${list} (policy ${policy})` } }, at, reportedId);
  if (policy === 'halt') {
    const state = st.kernel.projections.risk.state;
    if (state !== 'HALTED') {
      st.stage({ type: 'TradingStateChanged', data: { day, from: state, to: 'HALTED', by: 'risk:reconciliation', why: `the broker's account differs from the journal (${list}); a person must check and re-activate` } }, at, reportedId);
    }
    return breaks.length;
  }
  for (const b of breaks) {
    if (b.symbol === null) {
      st.stage({ type: 'CashAdjusted', data: { day, fromFen: b.ours, toFen: b.theirs, reason: `reconciliation ${why}: adopted the broker's cash` } }, at, reportedId);
      continue;
    }
    const held = p.positions.get(b.symbol);
    const avg = theirs.get(b.symbol)?.avgCostMilli ?? null;
    const costFen = b.theirs === 0 ? 0
      : avg !== null ? mulDivRound(avg, b.theirs, 10, 'halfUp')
        : held ? mulDivRound(held.costFen, b.theirs, held.qty, 'halfUp') : 0;
    st.stage({ type: 'PositionAdjusted', data: { day, symbol: b.symbol, fromQty: b.ours, toQty: b.theirs, costFen, reason: `reconciliation ${why}: adopted the broker's quantity` } }, at, reportedId);
  }
  return breaks.length;
}

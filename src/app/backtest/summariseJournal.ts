import type { SummaryMetrics } from '../../domain/index.js';
import { summarise } from '../../domain/index.js';
import type { Projections } from '../../projections/index.js';
import { feesPaidFen, foldProjections, projectionHash } from '../../projections/index.js';
import type { ReportTrade } from '../../adapters/report/htmlReport.js';
import type { RecordedEvent } from '../engine/replay.js';

export interface JournalSummary {
  readonly projections: Projections;
  readonly projectionHash: string;
  readonly symbols: number;
  readonly days: number;
  readonly events: number;
  readonly metrics: SummaryMetrics & { readonly trades: number; readonly feesFen: number };
  readonly trades: readonly ReportTrade[];
  /** Buys the disclosure rule denied because the symbol's issued shares were unknown (bare bars, no instruments file). */
  readonly deniedForUnknownIssuedShares: number;
}

/** Everything a summary or report shows, rebuilt from the journal's events alone. */
export function summariseJournal(events: readonly RecordedEvent[]): JournalSummary {
  const projections = foldProjections(events);
  const symbols = new Set<string>();
  const trades: ReportTrade[] = [];
  let days = 0, deniedForUnknownIssuedShares = 0;
  for (const e of events) {
    if (e.type === 'BarsClosed') {
      days++;
      for (const s of e.data.symbols) symbols.add(s);
    } else if (e.type === 'OrderFilled') {
      const f = e.data;
      trades.push({ day: f.day, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, priceMilli: f.price,
        feesFen: f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen });
    } else if (e.type === 'OrderDenied' && e.data.rule === 'disclosure' && e.data.reason === 'MISSING_RISK_DATA') {
      deniedForUnknownIssuedShares++;
    }
  }
  const base = summarise(projections.equity, projections.portfolio.initialCashFen);
  return {
    projections, projectionHash: projectionHash(projections), symbols: symbols.size, days, events: events.length,
    metrics: { ...base, trades: trades.length, feesFen: feesPaidFen(projections.portfolio) }, trades, deniedForUnknownIssuedShares,
  };
}

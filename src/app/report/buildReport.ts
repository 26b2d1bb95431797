import type { BenchmarkBars, ShareGrant, TradeFill } from '../../domain/index.js';
import { analysePerformance } from '../../domain/index.js';
import type { ReportInput } from '../../adapters/report/htmlReport.js';
import type { JournalSummary } from '../backtest/summariseJournal.js';
import { summariseJournal } from '../backtest/summariseJournal.js';
import type { RecordedEvent } from '../engine/replay.js';

export interface BuiltReport {
  readonly summary: JournalSummary;
  readonly input: ReportInput;
}

export interface ReportMeta {
  readonly journalPath: string;
  /** Defaults to the run's mode, name and id from its `RunStarted` event. */
  readonly title?: string;
}

/**
 * Everything the report shows, rebuilt from the journal's events alone: the projections (equity
 * from `DayClosed`), the benchmark from `BarsClosed`, round trips from `OrderFilled` and
 * `SharesDistributed`. `ashare report` and `runBacktest` both come through here, so a report
 * rebuilt later from the same journal is the same report.
 */
export function buildReport(events: readonly RecordedEvent[], meta: ReportMeta): BuiltReport {
  const summary = summariseJournal(events);
  const bars: BenchmarkBars[] = [];
  const trades: (TradeFill | ShareGrant)[] = [];
  const fills: TradeFill[] = [];
  let title = meta.title;
  for (const e of events) {
    if (e.type === 'BarsClosed') bars.push(e.data);
    else if (e.type === 'OrderFilled') {
      const f = e.data;
      const fill: TradeFill = {
        day: f.day, fillId: f.fillId, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, priceMilli: f.price,
        notionalFen: f.notionalFen, feesFen: f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen,
      };
      fills.push(fill);
      trades.push(fill);
    } else if (e.type === 'SharesDistributed') {
      const qty = e.data.bonusQty + e.data.conversionQty;
      if (qty > 0) trades.push({ day: e.data.day, symbol: e.data.symbol, qty });
    } else if (e.type === 'RunStarted' && title === undefined) {
      const name = typeof e.data.config['name'] === 'string' ? ` ${e.data.config['name']}` : '';
      title = `${e.data.mode[0]!.toUpperCase()}${e.data.mode.slice(1)}${name} (${e.data.runId})`;
    }
  }
  const { projections } = summary;
  const curve = projections.equity;
  const performance = analysePerformance({ initialEquityFen: projections.portfolio.initialCashFen, curve, bars, trades });
  return {
    summary,
    input: {
      title: title ?? 'Run report', journalPath: meta.journalPath, projectionHash: summary.projectionHash,
      headHash: events[events.length - 1]?.hash ?? '', symbols: summary.symbols, days: summary.days, events: summary.events,
      initialEquityFen: projections.portfolio.initialCashFen, finalEquityFen: curve[curve.length - 1]?.equityFen ?? projections.portfolio.initialCashFen,
      feesFen: summary.metrics.feesFen, performance, fills,
    },
  };
}

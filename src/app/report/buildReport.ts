import type { BenchmarkBars, ShareGrant, TradeFill } from '../../domain/index.js';
import { analysePerformance } from '../../domain/index.js';
import type { ReportInput } from '../../adapters/report/htmlReport.js';
import type { ReportRisk } from '../../adapters/report/reportRisk.js';
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

type StopKind = ReportRisk['stopsByKind'][number]['kind'];
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The risk section as a plain fold of the recorded decisions (no replay): OrderApproved and
 * OrderDenied (by rule and reason), TradingStateChanged and StopTriggered, as the journal holds them.
 */
export function summariseRisk(events: readonly RecordedEvent[]): ReportRisk {
  let approved = 0, denied = 0, stops = 0, stopsBlockedByT1 = 0;
  const deniedBy = new Map<string, { rule: string; reason: string; count: number }>();
  const stateChanges: ReportRisk['stateChanges'][number][] = [];
  const kinds = new Map<StopKind, { kind: StopKind; count: number; blockedByT1: number }>();
  const versions = new Set<string>();
  for (const e of events) {
    if (e.type === 'OrderApproved') {
      approved++;
      versions.add(e.data.ruleVersion);
    } else if (e.type === 'OrderDenied') {
      denied++;
      versions.add(e.data.ruleVersion);
      // JSON of the pair: no separator a rule name could contain.
      const key = JSON.stringify([e.data.rule, e.data.reason]);
      const d = deniedBy.get(key) ?? { rule: e.data.rule, reason: e.data.reason, count: 0 };
      d.count++;
      deniedBy.set(key, d);
    } else if (e.type === 'TradingStateChanged') {
      stateChanges.push(e.data);
    } else if (e.type === 'StopTriggered') {
      const blocked = e.data.blockedBy === 'T1' ? 1 : 0;
      stops++;
      stopsBlockedByT1 += blocked;
      const k = kinds.get(e.data.kind) ?? { kind: e.data.kind, count: 0, blockedByT1: 0 };
      k.count++;
      k.blockedByT1 += blocked;
      kinds.set(e.data.kind, k);
    }
  }
  return {
    decisions: approved + denied, approved, denied,
    deniedBy: [...deniedBy.values()].sort((a, b) => b.count - a.count || byText(a.rule, b.rule) || byText(a.reason, b.reason)),
    stateChanges, finalState: stateChanges[stateChanges.length - 1]?.to ?? 'ACTIVE',
    stops, stopsBlockedByT1, stopsByKind: [...kinds.values()].sort((a, b) => byText(a.kind, b.kind)),
    ruleVersions: [...versions].sort(byText),
  };
}

/**
 * Everything the report shows, rebuilt from the journal's events alone: the projections (equity
 * from `DayClosed`), the benchmark from `BarsClosed`, round trips from `OrderFilled` and
 * `SharesDistributed`, the risk section from the recorded decisions. `ashare report` and
 * `runBacktest` both come through here, so a report rebuilt later from the same journal is the
 * same report.
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
      feesFen: summary.metrics.feesFen, performance, fills, risk: summariseRisk(events),
    },
  };
}

import type { DomainEvent, ShareGrant, TradeFill } from '../../domain/index.js';
import { analysePerformance, BenchmarkFold, summarise } from '../../domain/index.js';
import type { ReportInput, ReportTrade } from '../../adapters/report/htmlReport.js';
import type { ReportRisk } from '../../adapters/report/reportRisk.js';
import type { Projections } from '../../projections/index.js';
import { feesPaidFen, foldProjections, projectionHash } from '../../projections/index.js';
import type { JournalSummary } from '../backtest/summariseJournal.js';
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

/** An event as the report folds it: its type and data (and its hash, when read back from a journal). */
export type ReportEvent = DomainEvent & { readonly hash?: string };

/**
 * The risk section as a plain fold of the recorded decisions (no replay): OrderApproved and
 * OrderDenied (by rule and reason), TradingStateChanged and StopTriggered, as the journal holds them.
 */
export function summariseRisk(events: readonly RecordedEvent[]): ReportRisk {
  const f = new RiskFold();
  for (const e of events) f.add(e);
  return f.finish();
}

class RiskFold {
  private approved = 0;
  private denied = 0;
  private stops = 0;
  private stopsBlockedByT1 = 0;
  private readonly deniedBy = new Map<string, { rule: string; reason: string; count: number }>();
  private readonly stateChanges: ReportRisk['stateChanges'][number][] = [];
  private readonly kinds = new Map<StopKind, { kind: StopKind; count: number; blockedByT1: number }>();
  private readonly versions = new Set<string>();

  add(e: ReportEvent): void {
    if (e.type === 'OrderApproved') {
      this.approved++;
      this.versions.add(e.data.ruleVersion);
    } else if (e.type === 'OrderDenied') {
      this.denied++;
      this.versions.add(e.data.ruleVersion);
      // JSON of the pair: no separator a rule name could contain.
      const key = JSON.stringify([e.data.rule, e.data.reason]);
      const d = this.deniedBy.get(key) ?? { rule: e.data.rule, reason: e.data.reason, count: 0 };
      d.count++;
      this.deniedBy.set(key, d);
    } else if (e.type === 'TradingStateChanged') {
      this.stateChanges.push(e.data);
    } else if (e.type === 'StopTriggered') {
      const blocked = e.data.blockedBy === 'T1' ? 1 : 0;
      this.stops++;
      this.stopsBlockedByT1 += blocked;
      const k = this.kinds.get(e.data.kind) ?? { kind: e.data.kind, count: 0, blockedByT1: 0 };
      k.count++;
      k.blockedByT1 += blocked;
      this.kinds.set(e.data.kind, k);
    }
  }

  finish(): ReportRisk {
    return {
      decisions: this.approved + this.denied, approved: this.approved, denied: this.denied,
      deniedBy: [...this.deniedBy.values()].sort((a, b) => b.count - a.count || byText(a.rule, b.rule) || byText(a.reason, b.reason)),
      stateChanges: this.stateChanges, finalState: this.stateChanges[this.stateChanges.length - 1]?.to ?? 'ACTIVE',
      stops: this.stops, stopsBlockedByT1: this.stopsBlockedByT1, stopsByKind: [...this.kinds.values()].sort((a, b) => byText(a.kind, b.kind)),
      ruleVersions: [...this.versions].sort(byText),
    };
  }
}

/**
 * Everything the report shows, folded one event at a time — from a journal read back (`ashare
 * report`) or as a run appends its events (a backtest, which so never reads its journal back nor
 * holds its bars): the benchmark from `BarsClosed`, round trips from `OrderFilled` and
 * `SharesDistributed`, the risk section from the recorded decisions; the projections (equity from
 * `DayClosed`) are the same fold's, passed to `finish`. Both ways give the same report.
 */
export class ReportFold {
  private readonly symbols = new Set<string>();
  private days = 0;
  private events = 0;
  private deniedForUnknownIssuedShares = 0;
  private readonly reportTrades: ReportTrade[] = [];
  private readonly trades: (TradeFill | ShareGrant)[] = [];
  private readonly fills: TradeFill[] = [];
  private readonly bench = new BenchmarkFold();
  private readonly risk = new RiskFold();
  private title: string | undefined;
  private headHash = '';

  add(e: ReportEvent): void {
    this.events++;
    if (e.hash !== undefined) this.headHash = e.hash;
    this.risk.add(e);
    if (e.type === 'BarsClosed') {
      this.days++;
      for (const s of e.data.symbols) this.symbols.add(s);
      this.bench.add(e.data);
    } else if (e.type === 'OrderFilled') {
      const f = e.data;
      const feesFen = f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen;
      this.reportTrades.push({ day: f.day, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, priceMilli: f.price, feesFen });
      const fill: TradeFill = { day: f.day, fillId: f.fillId, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, priceMilli: f.price, notionalFen: f.notionalFen, feesFen };
      this.fills.push(fill);
      this.trades.push(fill);
    } else if (e.type === 'OrderDenied' && e.data.rule === 'disclosure' && e.data.reason === 'MISSING_RISK_DATA') {
      this.deniedForUnknownIssuedShares++;
    } else if (e.type === 'SharesDistributed') {
      const qty = e.data.bonusQty + e.data.conversionQty;
      if (qty > 0) this.trades.push({ day: e.data.day, symbol: e.data.symbol, qty });
    } else if (e.type === 'RunStarted' && this.title === undefined) {
      const name = typeof e.data.config['name'] === 'string' ? ` ${e.data.config['name']}` : '';
      this.title = `${e.data.mode[0]!.toUpperCase()}${e.data.mode.slice(1)}${name} (${e.data.runId})`;
    }
  }

  /** The summary alone (no performance analysis): what `summariseJournal` returns. */
  summary(projections: Projections): JournalSummary {
    const base = summarise(projections.equity, projections.portfolio.initialCashFen);
    return {
      projections, projectionHash: projectionHash(projections), symbols: this.symbols.size, days: this.days, events: this.events,
      metrics: { ...base, trades: this.reportTrades.length, feesFen: feesPaidFen(projections.portfolio) }, trades: this.reportTrades,
      deniedForUnknownIssuedShares: this.deniedForUnknownIssuedShares,
    };
  }

  /** The report of everything added, over `projections` (the fold of the same events); `headHash` when the events carried none. */
  finish(projections: Projections, meta: ReportMeta & { readonly headHash?: string }): BuiltReport {
    const summary = this.summary(projections);
    const curve = projections.equity;
    const performance = analysePerformance({ initialEquityFen: projections.portfolio.initialCashFen, curve, bars: { benchmark: this.bench.points }, trades: this.trades });
    return {
      summary,
      input: {
        title: meta.title ?? this.title ?? 'Run report', journalPath: meta.journalPath, projectionHash: summary.projectionHash,
        headHash: meta.headHash ?? this.headHash, symbols: summary.symbols, days: summary.days, events: summary.events,
        initialEquityFen: projections.portfolio.initialCashFen, finalEquityFen: curve[curve.length - 1]?.equityFen ?? projections.portfolio.initialCashFen,
        feesFen: summary.metrics.feesFen, performance, fills: this.fills, risk: this.risk.finish(),
      },
    };
  }
}

/** The report of a journal's events (`ashare report`, and a backtest's comparison run). */
export function buildReport(events: readonly RecordedEvent[], meta: ReportMeta): BuiltReport {
  const f = new ReportFold();
  for (const e of events) f.add(e);
  return f.finish(foldProjections(events), meta);
}

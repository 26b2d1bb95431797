import { resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DataOf, DayBars, DomainEvent, TradingDay } from '../../domain/index.js';
import type { ReportComparison } from '../../adapters/report/htmlReport.js';
import { createMemoryJournal } from '../../adapters/journal/memoryJournal.js';
import type { MarketRules } from '../../domain/rules/marketRules.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { backtestPorts } from './backtestPorts.js';
import { writeReport } from '../../adapters/report/htmlReport.js';
import type { LoadedConfig } from '../config/index.js';
import { rulesFromConfig } from '../config/index.js';
import { EngineError, runEngine } from '../engine/engine.js';
import type { StateRequest } from '../engine/riskSteps.js';
import { AppError, EXIT, journalAppError, storageAppError } from '../errors.js';
import { openBacktestJournal } from './backtestJournal.js';
import { loadMarket, marketEventsByDay, type MarketData } from './market.js';
import { newsSentiment } from '../sentiment/backtestNews.js';
import { ReportFold, type BuiltReport, type ReportEvent } from '../report/buildReport.js';
import type { JournalSummary } from './summariseJournal.js';
import { storedAnchorOf } from '../journalio/journalLocator.js';

export interface BacktestOptions {
  readonly loaded: LoadedConfig;
  /** The dated A-share rule tables (config/market). */
  readonly marketRules: MarketRules;
  readonly codeVersion: string;
  /** Wall time, only to name the output files. */
  readonly stamp: string;
  readonly barsOverride?: string;
  /** Instruments CSV (sector, issued shares) to journal with the bars, overriding market.instruments. */
  readonly instrumentsOverride?: string;
  readonly journalPath?: string;
  readonly reportDir?: string;
  readonly key?: JournalKey;
  /** After each trading day: its index, the number of days, and the bars taken so far. */
  readonly onDay?: (day: string, index: number, total: number, bars: number) => void;
  /** The kill switch: a person's trading-state requests, read before each day's decisions. */
  readonly control?: (day: string) => readonly StateRequest[];
  /** Run only on trading days in [from, to] (walk-forward windows). */
  readonly dayRange?: { readonly from?: string; readonly to?: string };
  /**
   * Commit each day on a worker thread while the next is computed (the CLI's backtest and demo; a
   * sweep's runs already fill every core and append on their own thread).
   */
  readonly appendThread?: boolean;
}

export interface BacktestResult extends JournalSummary {
  readonly journalPath: string;
  /** Null when the journal is encrypted and no report folder was asked for (a plain-text report would sit beside the ciphertext). */
  readonly reportPath: string | null;
  readonly headHash: string;
  readonly encrypted: boolean;
}

/**
 * A backtest end to end: market → the trading-day steps back to back on a simulated clock (replay
 * clock, deterministic ids: a reproducible journal; the paper broker with its books in memory) →
 * SQLite journal, with the summary and report folded from each day's events as they are committed
 * (the same fold `ashare report` runs over the journal read back, so both give the same report; the
 * journal is not read back here, nor are the bars held for the report). That the journal reproduces
 * the run is what `ashare journal verify` and `ashare audit` check. Paper and live trading are
 * `ashare run` (app/service).
 */
export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const { config, hash, baseDir } = o.loaded;
  const loadedMarket = await loadMarket(config.market, baseDir, () => o.marketRules, o.barsOverride, o.instrumentsOverride);
  const range = o.dayRange;
  const inRange = (day: string): boolean => !range || ((!range.from || day >= range.from) && (!range.to || day <= range.to));
  const market: MarketData = range
    ? {
      ...loadedMarket,
      dayList: loadedMarket.dayList.filter(inRange),
      feed: () => onlyDays(loadedMarket.feed(), inRange),
      dataSource: { ...loadedMarket.dataSource, description: `${loadedMarket.dataSource.description}, days ${range.from ?? '…'} to ${range.to ?? '…'}` },
    }
    : loadedMarket;
  if (market.dayList.length === 0) throw new AppError('BARS_EMPTY', 'the market data has no bars', EXIT.badInput);
  const rules = rulesFromConfig(config, o.marketRules);
  // A backtest's id derives from what it ran on (reproducible journal).
  const runId = `run-${hash.slice(0, 12)}-${(market.dataSource.sha256 ?? hash).slice(0, 8)}${range ? `-${range.from ?? ''}-${range.to ?? ''}` : ''}`;
  const run: DataOf<'RunStarted'> = {
    runId, mode: config.mode, config: config as unknown as Record<string, unknown>, configHash: hash,
    dataSource: market.dataSource, codeVersion: o.codeVersion,
    initialCashFen: Math.round(config.account.initialCash * 100),
  };
  const opened = openBacktestJournal({
    ...(o.journalPath !== undefined ? { path: o.journalPath } : {}), dir: resolve(config.journal.dir), base: `${config.name}-${o.stamp}`,
    durability: config.journal.durability, ...(o.key !== undefined ? { key: o.key } : {}), appendThread: o.appendThread === true,
  });
  const { journal, path: journalPath } = opened;
  const fold = new ReportFold();
  let built: BuiltReport;
  let headHash: string;
  let eventsByDay: Map<string, DomainEvent[]> | null = null;
  /** The market's events by day with the news sentiment merged in (computed once, shared with the comparison run). */
  const marketEventsFor = async (): Promise<Map<string, DomainEvent[]>> => {
    if (eventsByDay) return eventsByDay;
    const byDay = marketEventsByDay(market);
    if (config.sentiment) {
      const news = await newsSentiment(config.sentiment, baseDir, market.dayList, o.key);
      for (const [day, events] of news.byDay) byDay.set(day, [...(byDay.get(day) ?? []), ...events]);
    }
    return (eventsByDay = byDay);
  };
  try {
    const total = market.dayList.length;
    let bars = 0;
    const marketEvents = await marketEventsFor();
    const r = await runEngine(run, rules, await backtestPorts({
      config, marketRules: o.marketRules, journal, runId, feed: countBars(market.feed(), (n) => { bars += n; }), firstDay: market.dayList[0] as TradingDay,
      dividends: market.dividends, listDays: market.listDays, ...(o.control ? { control: o.control } : {}),
      marketEvents: (day) => marketEvents.get(day) ?? [], onDay: (day, i) => o.onDay?.(day, i, total, bars),
      // Staged domain events (current schema versions), as a read-back journal decodes them.
      onAppended: (events) => { for (const e of events) fold.add(e as unknown as ReportEvent); },
    }));
    headHash = r.headHash;
    built = fold.finish(r.kernel.projections, { journalPath, headHash });
  } catch (e) {
    // A journal refusal inside the loop (a second writer, a full disk) is the journal's failure, said as such.
    if (e instanceof EngineError && e.code.startsWith('JOURNAL_')) throw journalAppError(e, journalPath);
    throw e;
  } finally {
    await opened.close();
  }
  const summary = built.summary;
  // An encrypted run keeps its figures encrypted: the plain-text report is written only where asked (--report-dir).
  if (o.key !== undefined && o.reportDir === undefined) {
    return { ...summary, journalPath, reportPath: null, headHash, encrypted: true };
  }
  // `<journal minus .sqlite>.report`; a journal named otherwise (t.db) gets `t.db.report`, never its own name.
  const reportDir = o.reportDir ?? journalPath.replace(/\.sqlite$/, '') + '.report';
  const comparison = await withoutSentiment(o, run, market, marketEventsFor);
  const input = { ...built.input, anchoredSeq: storedAnchorOf(journalPath)?.seq ?? null };
  const written = writeReport(reportDir, comparison ? { ...input, comparison } : input);
  if (isLeft(written)) throw storageAppError(written.left, `the journal ${journalPath} is complete, but the report was not written: `);
  const reportPath = written.right;
  return { ...summary, journalPath, reportPath, headHash, encrypted: o.key !== undefined };
}

/**
 * A multi-factor backtest that weighs news sentiment (weights.sentiment > 0) is run a second time
 * without it — same market, same news events journaled, the factor's weight 0 — in memory, so the
 * report shows the strategy with and without the factor side by side. Null otherwise (or when
 * sentiment is the only factor: without it there is no strategy to compare).
 */
async function withoutSentiment(
  o: BacktestOptions, run: DataOf<'RunStarted'>, market: MarketData,
  marketEventsFor: () => Promise<Map<string, DomainEvent[]>>,
): Promise<ReportComparison | null> {
  const { config } = o.loaded;
  if (config.strategy.name !== 'multi-factor') return null;
  const params = config.strategy.params as { weights: Record<string, number | undefined> };
  const w = params.weights;
  if (!w['sentiment'] || w['sentiment'] <= 0) return null;
  if (!Object.entries(w).some(([k, v]) => k !== 'sentiment' && (v ?? 0) > 0)) return null;
  const baseline = { ...config, strategy: { ...config.strategy, params: { ...params, weights: { ...w, sentiment: 0 } } } } as typeof config;
  const rules = rulesFromConfig(baseline, o.marketRules);
  const journal = createMemoryJournal();
  const marketEvents = await marketEventsFor();
  // Folded as it runs, as the main run's report is (the in-memory journal is not read back).
  const fold = new ReportFold();
  const r = await runEngine({ ...run, runId: `${run.runId}-without-sentiment` }, rules, await backtestPorts({
    config: baseline, marketRules: o.marketRules, journal, runId: `${run.runId}-without-sentiment`, feed: market.feed(), firstDay: market.dayList[0] as TradingDay,
    dividends: market.dividends, listDays: market.listDays, marketEvents: (day) => marketEvents.get(day) ?? [],
    onAppended: (events) => { for (const e of events) fold.add(e as unknown as ReportEvent); },
  }));
  await journal.close();
  const b = fold.finish(r.kernel.projections, { journalPath: '(in memory)' }).input;
  return { label: 'without the sentiment factor (weights.sentiment = 0)', performance: b.performance, finalEquityFen: b.finalEquityFen, feesFen: b.feesFen };
}

/** The days of `feed` that `keep` accepts. */
async function* onlyDays(feed: Iterable<DayBars> | AsyncIterable<DayBars>, keep: (day: string) => boolean): AsyncGenerator<DayBars> {
  for await (const d of feed) if (keep(d.day)) yield d;
}

/** `feed`, telling `add` how many bars each day brings as it is taken. */
async function* countBars(feed: Iterable<DayBars> | AsyncIterable<DayBars>, add: (bars: number) => void): AsyncGenerator<DayBars> {
  for await (const d of feed) {
    add(d.symbols.length);
    yield d;
  }
}

import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DataOf } from '../../domain/index.js';
import type { MarketRules } from '../../domain/rules/marketRules.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { openSqliteJournal } from '../../adapters/journal/index.js';
import { createReplayClock, createSystemClock } from '../../adapters/clock/clocks.js';
import { createDeterministicIds, createRandomIds } from '../../adapters/ids/idGenerators.js';
import { cashDividendActions, createSimulatedBroker } from '../../adapters/broker/simulatedBroker.js';
import { writeReport } from '../../adapters/report/htmlReport.js';
import { projectionHash } from '../../projections/index.js';
import type { LoadedConfig } from '../config/index.js';
import { executionFromConfig, rulesFromConfig } from '../config/index.js';
import { runEngine } from '../engine/engine.js';
import type { StateRequest } from '../engine/riskSteps.js';
import { AppError, EXIT } from '../errors.js';
import { readJournalFile } from '../journalio/index.js';
import { loadMarket, marketEventsByDay } from './market.js';
import { buildReport } from '../report/buildReport.js';
import type { JournalSummary } from './summariseJournal.js';

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
  readonly onDay?: (day: string, index: number, total: number) => void;
  /** Paper mode only: wait this long between trading days (stored bars played as a live feed). */
  readonly paceMs?: number;
  /** The kill switch: a person's trading-state requests, read before each day's decisions. */
  readonly control?: (day: string) => readonly StateRequest[];
  /** Run only on trading days in [from, to] (walk-forward windows). */
  readonly dayRange?: { readonly from?: string; readonly to?: string };
}

export interface BacktestResult extends JournalSummary {
  readonly journalPath: string;
  readonly reportPath: string;
  readonly headHash: string;
  readonly encrypted: boolean;
}

function freshPath(dir: string, base: string): string {
  mkdirSync(dir, { recursive: true });
  let p = join(dir, `${base}.sqlite`);
  for (let i = 2; existsSync(p); i++) p = join(dir, `${base}-${i}.sqlite`);
  return p;
}

/** Stored bars played as a live feed: one trading day every `paceMs`. */
async function* paced<T>(items: readonly T[], paceMs: number): AsyncGenerator<T> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
    yield items[i]!;
  }
}

/**
 * A run end to end: market → engine → SQLite journal → summary and report rebuilt from the journal
 * alone. The config's mode picks the adapters, nothing else: `backtest` wires the replay clock and
 * deterministic ids (a reproducible journal); `paper` wires the system clock, random ids, a paced
 * feed and journals broker answers as they arrive, with the durable (synchronous=FULL) journal
 * the config requires. Both use the simulated broker. The result's projection hash is checked
 * against the engine's own final state, so a journal that does not reproduce the run is caught
 * here rather than in an audit.
 */
export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const { config, hash, baseDir } = o.loaded;
  const loadedMarket = await loadMarket(config.market, baseDir, () => o.marketRules.calendar, o.barsOverride, o.instrumentsOverride);
  const range = o.dayRange;
  const market = range
    ? {
      ...loadedMarket,
      days: loadedMarket.days.filter((d) => (!range.from || d.day >= range.from) && (!range.to || d.day <= range.to)),
      dataSource: { ...loadedMarket.dataSource, description: `${loadedMarket.dataSource.description}, days ${range.from ?? '…'} to ${range.to ?? '…'}` },
    }
    : loadedMarket;
  if (market.days.length === 0) throw new AppError('BARS_EMPTY', 'the market data has no bars', EXIT.badInput);
  const rules = rulesFromConfig(config, o.marketRules);
  // A backtest's id derives from what it ran on (reproducible journal); a paper run is an event in time.
  const runId = config.mode === 'backtest'
    ? `run-${hash.slice(0, 12)}-${(market.dataSource.sha256 ?? hash).slice(0, 8)}${range ? `-${range.from ?? ''}-${range.to ?? ''}` : ''}`
    : `${config.mode}-${o.stamp}-${hash.slice(0, 8)}`;
  const run: DataOf<'RunStarted'> = {
    runId, mode: config.mode, config: config as unknown as Record<string, unknown>, configHash: hash,
    dataSource: market.dataSource, codeVersion: o.codeVersion,
    initialCashFen: Math.round(config.account.initialCash * 100),
  };
  const journalPath = o.journalPath ?? freshPath(resolve(config.journal.dir), `${config.name}-${o.stamp}`);
  const opened = openSqliteJournal({ path: journalPath, durability: config.journal.durability, key: o.key, create: true });
  if (isLeft(opened)) throw new AppError(opened.left.code, opened.left.message, EXIT.journal);
  const journal = opened.right;
  let engineHash: string;
  let headHash: string;
  try {
    const total = market.days.length;
    const paper = config.mode === 'paper';
    const marketEvents = marketEventsByDay(market);
    const r = await runEngine(run, rules, {
      journal, broker: createSimulatedBroker({
        rules: o.marketRules, account: rules.account, execution: executionFromConfig(config),
        corporateActions: cashDividendActions(market.dividends, (d) => o.marketRules.calendar.previous(d)),
        listDays: market.listDays, dividendTaxRatePpb: Math.round(config.account.dividendTaxRate * 1e9),
      }),
      feed: paper ? paced(market.days, o.paceMs ?? 0) : market.days,
      ids: paper ? createRandomIds() : createDeterministicIds(runId),
      clock: paper ? createSystemClock() : createReplayClock(),
      journalAnswersImmediately: paper,
      ...(o.control ? { control: o.control } : {}),
      marketEvents: (day) => marketEvents.get(day) ?? [],
      onDay: (day, i) => o.onDay?.(day, i, total),
    });
    engineHash = projectionHash(r.kernel.projections);
    headHash = r.headHash;
  } finally {
    await journal.close();
  }
  const events = await readJournalFile(journalPath, o.key);
  if (isLeft(events)) throw new AppError(events.left.code, events.left.message, EXIT.journal);
  const built = buildReport(events.right, { journalPath });
  const summary = built.summary;
  if (summary.projectionHash !== engineHash) {
    throw new AppError('REPLAY_MISMATCH', `the journal ${journalPath} does not reproduce the engine's final state`, EXIT.internal);
  }
  const reportDir = o.reportDir ?? journalPath.replace(/\.sqlite$/, '.report');
  const reportPath = writeReport(reportDir, built.input);
  return { ...summary, journalPath, reportPath, headHash, encrypted: o.key !== undefined };
}

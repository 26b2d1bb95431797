import type { Bar, DataFindingKind, DataPolicyTable, Finding, PriceAdjustment, RowRejection, TradingDay } from '../../domain/index.js';
import {
  ADJUSTED_SKIPPED_KINDS, ADJUSTED_SKIPPED_TEXT, ADJUSTED_THRESHOLDS, ADJUSTMENT_NAMES, FINDING_KINDS, applyPolicies, dayOfMs,
  detectAdjustment, formatMilli, summariseRejections, validateBars,
} from '../../domain/index.js';
import type { BackupSource } from '../../domain/data/applyPolicies.js';
import { AppError, EXIT } from '../errors.js';
import type { DataContext } from './dataContext.js';

export interface IngestSummary {
  /** Trading bars stored (after the validator's policies). */
  readonly rows: number;
  readonly symbols: number;
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly findings: Readonly<Record<string, number>>;
  readonly rejected: number;
  readonly quarantined: number;
  readonly corrected: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** The prices' adjustment as validated (null: raw, traded prices). */
  readonly adjusted: PriceAdjustment | null;
  /** Data-journal events written, and findings it already held (the same file imported again). */
  readonly journaled: number;
  readonly alreadyJournaled: number;
  /** Sentences the user should read (an adjusted series, what was not checked). */
  readonly warnings: readonly string[];
}

export interface IngestOptions {
  /** A second source to correct rows from (policy `correct`). */
  readonly backup?: BackupSource;
  /**
   * How the prices are adjusted: `qfq`/`hfq` validates them as an adjusted series (the checks that
   * assume traded prices are left out), `none` as raw prices. Omitted: raw, unless the rows look
   * adjusted, which is refused (DATA_ADJUSTED, nothing stored or journaled) so that adjusted prices
   * never enter the store unannounced.
   */
  readonly adjusted?: PriceAdjustment | 'none';
}

/** The policy table: config/data.yaml's per-kind choice, `warn` for kinds it does not name. */
export function policyTable(c: DataContext): DataPolicyTable {
  return Object.fromEntries(FINDING_KINDS.map((k) => [k, (c.config.policy[k] ?? 'warn') as 'warn'])) as Record<DataFindingKind, 'warn'>;
}

/**
 * Listing days, so IPO no-limit days are not mistaken for band breaks: the instruments table's list
 * day where it has one; else a symbol whose first bar (in the batch or the store) comes after the
 * first bar of the batch and the store together is taken to have listed on that day. The store
 * counts as much as the batch, so importing a file again judges its rows exactly as the first time.
 */
function listingDays(c: DataContext, rows: readonly Bar[]): Map<string, TradingDay> {
  let marketFirst: string | undefined = c.store.firstDay();
  const first = new Map<string, string>();
  for (const r of rows) {
    if (marketFirst === undefined || r.day < marketFirst) marketFirst = r.day;
    const f = first.get(r.symbol);
    if (f === undefined || r.day < f) first.set(r.symbol, r.day);
  }
  const listed = new Map<string, TradingDay>();
  for (const i of c.store.instruments()) if (i.listDay !== null) listed.set(i.symbol, i.listDay);
  const out = new Map<string, TradingDay>();
  for (const [s, d] of first) {
    const known = listed.get(s);
    if (known !== undefined) { out.set(s, known); continue; }
    const stored = c.store.firstDay(s);
    const symbolFirst = stored !== undefined && stored < d ? stored : d;
    if (symbolFirst !== marketFirst) out.set(s, symbolFirst as TradingDay);
  }
  return out;
}

/** The adjustment to validate with: the caller's, else none — unless the rows look adjusted, which is refused. */
function adjustmentOf(source: string, rows: readonly Bar[], asked: IngestOptions['adjusted']): { adjusted: PriceAdjustment | null; warnings: string[] } {
  const seen = asked === 'none' ? null : detectAdjustment(rows);
  if (asked === undefined && seen) {
    const x = seen.example;
    throw new AppError('DATA_ADJUSTED',
      `the bars from ${source} look ${ADJUSTMENT_NAMES[seen.adjustment]}: on ${seen.symbols} of ${seen.symbolsSeen} symbols the unadjusted ` +
      `turnover price (amount ÷ volume) leaves the day's range ${seen.adjustment === 'qfq' ? 'above the high on the earlier rows' : 'below the low on the later rows'} ` +
      `(${seen.rows} rows; ${x.symbol} ${x.day}: ${formatMilli(x.avgPriceMilli)} against ${formatMilli(x.low)}–${formatMilli(x.high)}); ` +
      `nothing was stored. Pass --adjusted ${seen.adjustment} to import them as an adjusted series, or --adjusted none to import them as traded prices.`,
      EXIT.badInput);
  }
  if (asked === undefined || asked === 'none') return { adjusted: null, warnings: [] };
  const warnings = [
    `these are ${ADJUSTMENT_NAMES[asked]} prices, which were not traded on their day: use them for signals, not to price orders; ` +
    `not checked for them: ${ADJUSTED_SKIPPED_TEXT}.`,
  ];
  if (seen && seen.adjustment !== asked) warnings.push(`--adjusted ${asked} was given, but the rows look ${ADJUSTMENT_NAMES[seen.adjustment]} (${seen.symbols} symbols).`);
  return { adjusted: asked, warnings };
}

export const countFindings = (findings: readonly Finding[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
};

/**
 * Validates rows from one source (as an adjusted series when they are one, see IngestOptions),
 * applies the configured policy to every finding, journals the rejections — one event per symbol,
 * kind and policy with the row count — and each correction (before/after) in the data journal,
 * skipping findings it already holds, then stores the accepted rows in ONE transaction: a bad batch
 * leaves the store as it was.
 */
export async function ingestBars(c: DataContext, source: string, rows: readonly Bar[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const { adjusted, warnings } = adjustmentOf(source, rows, opts.adjusted);
  const all = validateBars(rows, { rules: c.rules, listDays: listingDays(c, rows), ...(adjusted ? { thresholds: ADJUSTED_THRESHOLDS } : {}) });
  const findings = adjusted ? all.filter((f) => !ADJUSTED_SKIPPED_KINDS.has(f.kind)) : all;
  // A source without pre_close (Tongdaxin files) cannot tell an ex-rights gap from a band break:
  // its band findings are kept as warnings, not acted on.
  const policy = rows.some((r) => r.preClose !== null) ? policyTable(c) : { ...policyTable(c), BAND_VIOLATION: 'warn' as const };
  const outcome = applyPolicies(findings, rows, policy, { source, ...(opts.backup ? { backup: opts.backup } : {}) });
  const rejections = outcome.events.filter((e): e is RowRejection => !('after' in e));
  const recorded = await c.record([
    ...summariseRejections(rejections).map((data) => ({ type: 'DataRejected' as const, data })),
    ...outcome.events.flatMap((e) => ('after' in e ? [{ type: 'DataCorrected' as const, data: e }] : [])),
  ]);
  const knownFrom = dayOfMs(Date.now()); // allow-nondeterminism: app layer — the day the data became known
  const w = c.store.upsertBars(outcome.accepted, { source, knownFrom });
  if (w._tag === 'Left') throw new AppError(w.left.code, w.left.message, EXIT.badInput);
  const days = outcome.accepted.map((b) => b.day).sort();
  return {
    rows: outcome.accepted.length, symbols: new Set(outcome.accepted.map((b) => b.symbol)).size,
    firstDay: days[0] ?? null, lastDay: days[days.length - 1] ?? null, findings: countFindings(findings),
    rejected: outcome.events.filter((e) => !('after' in e) && e.policy === 'reject').length,
    quarantined: outcome.quarantined.length, corrected: outcome.events.filter((e) => 'after' in e).length,
    inserted: w.right.inserted, updated: w.right.updated, unchanged: w.right.unchanged,
    adjusted, journaled: recorded.written, alreadyJournaled: recorded.alreadyRecorded, warnings,
  };
}

import type { Bar, DataFindingKind, DataPolicyTable, Finding, TradingDay } from '../../domain/index.js';
import { FINDING_KINDS, applyPolicies, dayOfMs, validateBars } from '../../domain/index.js';
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
}

/** The policy table: config/data.yaml's per-kind choice, `warn` for kinds it does not name. */
export function policyTable(c: DataContext): DataPolicyTable {
  return Object.fromEntries(FINDING_KINDS.map((k) => [k, (c.config.policy[k] ?? 'warn') as 'warn'])) as Record<DataFindingKind, 'warn'>;
}

/**
 * IPO days the batch shows: a symbol with no bar stored yet whose first row comes after the batch's
 * first day is taken to have listed that day, so its no-limit days are not mistaken for band breaks.
 */
function newListings(c: DataContext, rows: readonly Bar[]): Map<string, TradingDay> {
  let batchFirst: string | null = null;
  const first = new Map<string, string>();
  for (const r of rows) {
    if (batchFirst === null || r.day < batchFirst) batchFirst = r.day;
    const f = first.get(r.symbol);
    if (f === undefined || r.day < f) first.set(r.symbol, r.day);
  }
  const out = new Map<string, TradingDay>();
  for (const [s, d] of first) if (d !== batchFirst && c.store.lastDay(s) === undefined) out.set(s, d as TradingDay);
  return out;
}

export const countFindings = (findings: readonly Finding[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
};

/**
 * Validates rows from one source, applies the configured policy to every finding, journals each
 * rejection and correction (before/after) in the data journal, then stores the accepted rows in
 * ONE transaction: a bad batch leaves the store as it was.
 */
export async function ingestBars(c: DataContext, source: string, rows: readonly Bar[], backup?: BackupSource): Promise<IngestSummary> {
  const findings = validateBars(rows, { rules: c.rules, listDays: newListings(c, rows) });
  // A source without pre_close (Tongdaxin files) cannot tell an ex-rights gap from a band break:
  // its band findings are kept as warnings, not acted on.
  const policy = rows.some((r) => r.preClose !== null) ? policyTable(c) : { ...policyTable(c), BAND_VIOLATION: 'warn' as const };
  const outcome = applyPolicies(findings, rows, policy, { source, ...(backup ? { backup } : {}) });
  await c.record(outcome.events.map((e) => ('after' in e ? { type: 'DataCorrected' as const, data: e } : { type: 'DataRejected' as const, data: e })));
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
  };
}

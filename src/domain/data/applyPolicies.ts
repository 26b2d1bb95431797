import type { z } from 'zod';
import type { Bar } from '../bars.js';
import type { DataRejectedV1Data } from '../events/data.js';
import type { DataOf } from '../events/domainEvent.js';
import { compareFindings, type DataDetails, type DataFindingKind, type Finding } from './finding.js';
import { checkOhlc } from './rowChecks.js';

/** What to do with a row that has a finding of a kind. */
export type DataPolicy = 'reject' | 'quarantine' | 'correct' | 'warn';
export type DataPolicyTable = Readonly<Record<DataFindingKind, DataPolicy>>;

/** One row kept out (DataRejected v1's shape); `summariseRejections` folds them into the journal's events. */
export type RowRejection = z.infer<typeof DataRejectedV1Data>;
export type DataRejectedData = DataOf<'DataRejected'>;
export type DataCorrectedData = DataOf<'DataCorrected'>;

/** Another source to take a replacement row from (`name` goes into `DataCorrected.correctedFrom`). */
export interface BackupSource {
  readonly name: string;
  bar(symbol: string, day: string): Bar | undefined;
}

export interface PolicyOutcome {
  /** Rows to use, in input order; a corrected row stands where the original stood. */
  readonly accepted: Bar[];
  /** One event per rejected, quarantined or corrected row, in input order. */
  readonly events: (RowRejection | DataCorrectedData)[];
  /** Rows set aside for review, in input order. */
  readonly quarantined: Bar[];
}

/**
 * Replacing a row fixes its values, not its existence or position: for these kinds `correct` would
 * add a second row or hide an ordering problem, so it is applied as `quarantine`.
 */
const CORRECTABLE: ReadonlySet<DataFindingKind> = new Set([
  'OHLC_INCONSISTENT', 'VOLUME_SANITY', 'BAND_VIOLATION', 'OUTLIER', 'SOURCE_DISAGREEMENT',
]);
const PRECEDENCE: Readonly<Record<DataPolicy, number>> = { warn: 0, correct: 1, quarantine: 2, reject: 3 };

/** The row as journaled: exactly the Bar fields, nothing a caller's object may carry besides. */
const rowOf = (b: Bar): Bar => ({
  symbol: b.symbol, day: b.day, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume,
  amountFen: b.amountFen, preClose: b.preClose, isSt: b.isSt,
});

/**
 * Applies the per-kind policy to the rows `findings` point at (findings without a row, i.e. calendar
 * gaps, are informational). A row with several findings takes the strictest policy (reject >
 * quarantine > correct > warn); the first finding of that policy, in kind order, names the event's
 * `kind` and the others are listed in `details.otherKinds`. `correct` takes the backup's row of the
 * same symbol-day when there is one with sound OHLC, else the row is quarantined
 * (`details.requested = 'correct'`). `warn` keeps the row without an event.
 */
export function applyPolicies(
  findings: readonly Finding[], rows: readonly Bar[], policy: DataPolicyTable,
  opts: { readonly source: string; readonly backup?: BackupSource },
): PolicyOutcome {
  const byLine = new Map<number, Finding[]>();
  for (const f of findings) {
    if (f.line === undefined) continue;
    if (!Number.isSafeInteger(f.line) || f.line < 0 || f.line >= rows.length) throw new RangeError(`finding ${f.kind} points at line ${f.line}, outside 0…${rows.length - 1}`);
    let a = byLine.get(f.line);
    if (!a) byLine.set(f.line, (a = []));
    a.push(f);
  }
  const out: PolicyOutcome = { accepted: [], events: [], quarantined: [] };
  rows.forEach((row, line) => {
    const fs = byLine.get(line)?.slice().sort(compareFindings);
    if (!fs) { out.accepted.push(row); return; }
    const effective = fs.map((f) => {
      const p = policy[f.kind];
      return p === 'correct' && !CORRECTABLE.has(f.kind) ? 'quarantine' : p;
    });
    const decision = effective.reduce((a, b) => (PRECEDENCE[b] > PRECEDENCE[a] ? b : a));
    const lead = fs[effective.indexOf(decision)]!;
    const others = fs.filter((f) => f !== lead).map((f) => f.kind);
    const details: Record<string, DataDetails[string]> = { ...lead.details };
    if (others.length > 0) details.otherKinds = others.join(',');
    const before = rowOf(row);
    if (decision === 'warn') { out.accepted.push(row); return; }
    if (decision === 'correct') {
      const b = opts.backup?.bar(row.symbol, row.day);
      if (b && b.symbol === row.symbol && b.day === row.day && checkOhlc(b, line) === null) {
        const after = rowOf(b);
        out.accepted.push(after);
        out.events.push({ source: opts.source, symbol: row.symbol, day: row.day, kind: lead.kind, before, after, correctedFrom: opts.backup!.name, details });
        return;
      }
      details.requested = 'correct';
      details.fallback = !opts.backup ? 'no backup source' : b ? 'backup row has inconsistent OHLC' : 'backup has no row';
    }
    const p = decision === 'reject' ? 'reject' : 'quarantine';
    if (p === 'quarantine') out.quarantined.push(row);
    out.events.push({ source: opts.source, symbol: row.symbol, day: row.day, kind: lead.kind, policy: p, before, details });
  });
  return out;
}

import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { StoreDatabase } from './storeOpen.js';
import { storeError, type StoreError } from './storeError.js';

/** A column: name and SQLite type affinity. */
export type Column = readonly [name: string, type: 'TEXT' | 'INTEGER' | 'REAL'];

/**
 * How one kind of row is stored as versions. Every row of the table is one version of the value of
 * its key: `known_from` (the day it became known), `write_id` (which call wrote it, the tiebreak
 * between versions known from the same day) and `source`.
 */
export interface TableSpec<R> {
  readonly name: string;
  readonly keyCols: readonly Column[];
  readonly valueCols: readonly Column[];
  /** The column whose min/max `status()` reports as first/last day, if any. */
  readonly dayCol?: string;
  readonly key: (r: R) => readonly unknown[];
  readonly values: (r: R) => readonly unknown[];
  /** Per-row `known_from` (fundamentals: the announcement day); default: the call's `knownFrom`. */
  readonly knownFrom?: (r: R) => string;
  /** Why the row is unacceptable, or undefined when it is fine. */
  readonly validate: (r: R) => string | undefined;
}

export interface UpsertCounts {
  /** Keys the store had never seen. */
  readonly inserted: number;
  /** Keys whose value changed: a new version was added, the old one kept. */
  readonly updated: number;
  /** Rows identical to the version already visible on their `known_from`: nothing written. */
  readonly unchanged: number;
}

export interface WriteOptions {
  /** Who supplied the rows (`tushare`, `csv:bars-2024.csv`…). */
  readonly source: string;
  /** The day the values became known (the import/update day), `YYYY-MM-DD`. */
  readonly knownFrom: string;
}

/** Latest day a query can name: "as of now". */
export const LATEST = '9999-12-31';

export const createTableSql = (s: TableSpec<never>): string => {
  const cols = [...s.keyCols, ['known_from', 'TEXT'], ['write_id', 'INTEGER'], ['source', 'TEXT'], ...s.valueCols] as const;
  const pk = [...s.keyCols.map((c) => c[0]), 'known_from', 'write_id'].join(', ');
  return `CREATE TABLE IF NOT EXISTS ${s.name} (${cols.map(([n, t]) => `${n} ${t}`).join(', ')}, PRIMARY KEY (${pk})) WITHOUT ROWID`;
};

const sameValues = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The write path of one versioned table. Validates the whole batch first (a bad row refuses the
 * batch), then writes in one transaction: per row, the version visible on its `known_from` is
 * looked up; an identical value is a no-op, a new or different one becomes a new version.
 */
export function versionedWriter<R>(db: StoreDatabase, spec: TableSpec<R>) {
  const keyWhere = spec.keyCols.map((c) => `${c[0]} = ?`).join(' AND ');
  const valueNames = spec.valueCols.map((c) => c[0]);
  const lookup = db.prepare(
    `SELECT ${valueNames.join(', ')} FROM ${spec.name} WHERE ${keyWhere} AND known_from <= ? ORDER BY known_from DESC, write_id DESC LIMIT 1`,
  ).raw();
  // The newest version overall: on the usual path (no back-filled facts) it is the visible one, one seek.
  const newest = db.prepare(
    `SELECT known_from, ${valueNames.join(', ')} FROM ${spec.name} WHERE ${keyWhere} ORDER BY known_from DESC, write_id DESC LIMIT 1`,
  ).raw();
  const allCols = [...spec.keyCols.map((c) => c[0]), 'known_from', 'write_id', 'source', ...valueNames];
  const insert = db.prepare(`INSERT INTO ${spec.name} (${allCols.join(', ')}) VALUES (${allCols.map(() => '?').join(', ')})`);
  const nextWrite = db.prepare('SELECT coalesce(max(id), 0) + 1 FROM store_writes').pluck();
  const logWrite = db.prepare(
    'INSERT INTO store_writes (id, tbl, source, known_from, inserted, updated, unchanged) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  const run = db.transaction((rows: readonly R[], o: WriteOptions): UpsertCounts => {
    const writeId = nextWrite.get() as number;
    let inserted = 0, updated = 0, unchanged = 0;
    for (const r of rows) {
      const key = spec.key(r), values = spec.values(r);
      const kf = spec.knownFrom?.(r) ?? o.knownFrom;
      const top = newest.get(...key) as unknown[] | undefined;
      if (top === undefined) inserted++;
      else {
        const seen = (top[0] as string) <= kf ? top.slice(1) : (lookup.get(...key, kf) as unknown[] | undefined);
        if (seen !== undefined && sameValues(seen, values)) { unchanged++; continue; }
        updated++;
      }
      insert.run(...key, kf, writeId, o.source, ...values);
    }
    // A call that changed nothing leaves no trace: importing the same file twice is a no-op.
    if (inserted + updated > 0) logWrite.run(writeId, spec.name, o.source, o.knownFrom, inserted, updated, unchanged);
    return { inserted, updated, unchanged };
  });

  return (rows: readonly R[], o: WriteOptions): Either<StoreError, UpsertCounts> => {
    const bad = checkBatch(spec, rows, o);
    if (bad !== undefined) return left(storeError('STORE_BAD_ROW', `${spec.name}: ${bad}; nothing was written`));
    return right(run(rows, o));
  };
}

function checkBatch<R>(spec: TableSpec<R>, rows: readonly R[], o: WriteOptions): string | undefined {
  if (o.source.trim() === '') return 'the source is empty';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.knownFrom)) return `knownFrom ${JSON.stringify(o.knownFrom)} is not a date YYYY-MM-DD`;
  const keys = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const why = spec.validate(r);
    if (why !== undefined) return `row ${i + 1} is invalid (${why})`;
    const k = spec.key(r).join('\u0000') + '\u0000' + (spec.knownFrom?.(r) ?? '');
    if (keys.has(k)) return `row ${i + 1} repeats the key ${spec.key(r).join(' ')} of an earlier row`;
    keys.add(k);
  }
  return undefined;
}

/**
 * The version of each key visible on `asOf`: versions with `known_from <= asOf`, the latest
 * `known_from` winning, then the latest write. `orderBy` must list every key column (so a key's
 * versions are adjacent); rows come back as raw arrays of key then value columns.
 */
export function latestVersions(
  db: StoreDatabase, spec: TableSpec<never>, where: string, params: readonly unknown[], asOf: string, orderBy: readonly string[],
): unknown[][] {
  const keyNames = spec.keyCols.map((c) => c[0]);
  const cols = [...keyNames, ...spec.valueCols.map((c) => c[0])];
  const sql = `SELECT ${cols.join(', ')} FROM ${spec.name} WHERE ${where} AND known_from <= ? ORDER BY ${orderBy.join(', ')}, known_from, write_id`;
  const rows = db.prepare(sql).raw().all(...params, asOf) as unknown[][];
  const out: unknown[][] = [];
  const nk = keyNames.length;
  for (const r of rows) {
    const prev = out[out.length - 1];
    let same = prev !== undefined;
    for (let i = 0; same && i < nk; i++) same = prev![i] === r[i];
    if (same) out[out.length - 1] = r; else out.push(r);
  }
  return out;
}

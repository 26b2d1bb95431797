import type { StoreDatabase } from './storeOpen.js';
import { ALL_TABLES } from './storeTables.js';

export interface TableStatus {
  /** Stored versions (rows), superseded ones included. */
  readonly versions: number;
  /** Distinct keys (bars: symbol-days). */
  readonly keys: number;
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  /** Sources of the writes that changed this table, in order of first appearance. */
  readonly sources: readonly string[];
}

export interface StoreStatus {
  readonly tables: Readonly<Record<string, TableStatus>>;
  /** Calls that changed something (a call that changed nothing is not logged). */
  readonly writes: number;
}

/** Counts and spans per table. Scans the tables (seconds for millions of bars): for `status`, not hot paths. */
export function storeStatus(db: StoreDatabase): StoreStatus {
  const tables: Record<string, TableStatus> = {};
  for (const spec of ALL_TABLES) {
    const keys = spec.keyCols.map((c) => c[0]);
    const versions = db.prepare(`SELECT count(*) FROM ${spec.name}`).pluck().get() as number;
    const nKeys = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${spec.name} GROUP BY ${keys.join(', ')})`).pluck().get() as number;
    const span = spec.dayCol === undefined ? [null, null]
      : db.prepare(`SELECT min(nullif(${spec.dayCol}, '')), max(${spec.dayCol}) FROM ${spec.name}`).raw().get() as [string | null, string | null];
    const sources = db.prepare('SELECT source FROM store_writes WHERE tbl = ? GROUP BY source ORDER BY min(id)').pluck().all(spec.name) as string[];
    tables[spec.name] = { versions, keys: nKeys, firstDay: span[0] ?? null, lastDay: span[1] ?? null, sources };
  }
  const writes = db.prepare('SELECT count(*) FROM store_writes').pluck().get() as number;
  return { tables, writes };
}

import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { StoreDatabase } from './storeOpen.js';
import { storeError, type StoreError } from './storeError.js';
import { ALL_TABLES } from './storeTables.js';
import { createTableSql } from './versionedTable.js';

export const STORE_APPLICATION = 'ashare-market-store';
export const STORE_SCHEMA_VERSION = 1;

/** The DDL of a fresh store: one versioned table per kind of data, a log of the writes that changed something. */
export function createSchemaSql(): string[] {
  return [
    'CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    `CREATE TABLE IF NOT EXISTS store_writes (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, source TEXT NOT NULL,
      known_from TEXT NOT NULL, inserted INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL)`,
    ...ALL_TABLES.map(createTableSql),
    // Whole-market day-range reads and lastDay() seek by day; symbol-first reads use the primary key.
    'CREATE INDEX IF NOT EXISTS bars_by_day ON bars (day)',
    'CREATE INDEX IF NOT EXISTS adj_factors_by_day ON adj_factors (day)',
  ];
}

/**
 * Creates the schema in an empty database, or checks that an existing one is a market store of
 * this version. Never alters a store written by another version.
 */
export function ensureSchema(db: StoreDatabase, path: string, writable: boolean): Either<StoreError, void> {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'").get() !== undefined;
  if (!hasMeta) {
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
    if (tables > 0) return left(storeError('STORE_SCHEMA', `market store ${path} is another kind of SQLite database`));
    if (!writable) return left(storeError('STORE_SCHEMA', `market store ${path} is empty and was opened read-only`));
    db.transaction(() => {
      for (const sql of createSchemaSql()) db.exec(sql);
      const put = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)');
      put.run('application', STORE_APPLICATION);
      put.run('schema_version', String(STORE_SCHEMA_VERSION));
    })();
    return right(undefined);
  }
  const meta = new Map(db.prepare('SELECT key, value FROM store_meta').raw().all() as [string, string][]);
  if (meta.get('application') !== STORE_APPLICATION) {
    return left(storeError('STORE_SCHEMA', `market store ${path} is not an ashare market store`));
  }
  if (meta.get('schema_version') !== String(STORE_SCHEMA_VERSION)) {
    return left(storeError('STORE_SCHEMA',
      `market store ${path} has schema version ${meta.get('schema_version') ?? '?'}; this program reads version ${STORE_SCHEMA_VERSION}`));
  }
  return right(undefined);
}

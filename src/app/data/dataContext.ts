import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent, Journal, MarketRules } from '../../domain/index.js';
import { CURRENT_SCHEMA_VERSION, asEventId } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { openSqliteJournal } from '../../adapters/journal/index.js';
import { loadMarketRules } from '../../adapters/market/index.js';
import type { MarketStore } from '../../adapters/store/index.js';
import { openMarketStore } from '../../adapters/store/index.js';
import { randomUUID } from 'node:crypto';
import type { DataConfig } from '../config/index.js';
import { DataConfigSchema } from '../config/index.js';
import { AppError, EXIT } from '../errors.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface DataContext {
  readonly config: DataConfig;
  readonly rules: MarketRules;
  readonly store: MarketStore;
  /** Appends data events (rejections, corrections, provider switches) to the data journal. */
  record(events: readonly DomainEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** Loads config/data.yaml (or `path`), validated once: every problem named with its key. */
export function loadDataConfig(path: string): DataConfig {
  let raw: unknown;
  try { raw = parse(readFileSync(path, 'utf8')); } catch (e) {
    throw new AppError('CONFIG_INVALID', `${path}: cannot read the data config (${(e as Error).message.split('\n')[0]})`, EXIT.badInput);
  }
  const r = DataConfigSchema.safeParse(raw ?? {});
  if (!r.success) throw new AppError('CONFIG_INVALID', r.error.issues.map((i) => `${path}: ${i.path.join('.')}: ${i.message}`).join('\n'), EXIT.badInput);
  return Object.freeze(r.data);
}

/** The store key: `--key-file`, else the data config's key file or passphrase variable. */
export function storeKey(c: DataConfig, keyFileFlag: string | undefined, baseDir: string): JournalKey | undefined {
  if (keyFileFlag) return { kind: 'keyFile', path: keyFileFlag };
  if (c.store.keyFile) return { kind: 'keyFile', path: resolve(baseDir, c.store.keyFile) };
  if (c.store.passphraseEnv) {
    const p = process.env[c.store.passphraseEnv];
    if (!p) throw new AppError('JOURNAL_KEY_REQUIRED', `store.passphraseEnv names ${c.store.passphraseEnv}, which is not set`, EXIT.journal);
    return { kind: 'passphrase', passphrase: p };
  }
  return undefined;
}

export async function openDataContext(o: { config: DataConfig; packageRoot: string; storePath?: string; key?: JournalKey; create: boolean; readonly?: boolean }): Promise<DataContext> {
  const rules = loadMarketRules(join(o.packageRoot, 'config', 'market'));
  if (isLeft(rules)) throw new AppError('MARKET_RULES_INVALID', rules.left.message, EXIT.internal);
  const storePath = resolve(o.storePath ?? o.config.store.path);
  if (o.create) mkdirSync(dirname(storePath), { recursive: true });
  const store = openMarketStore({ path: storePath, key: o.key, create: o.create, readonly: o.readonly === true });
  if (isLeft(store)) throw new AppError(store.left.code, store.left.message, EXIT.journal);
  let journal: Journal | null = null;
  const record = async (events: readonly DomainEvent[]) => {
    if (events.length === 0) return;
    if (!journal) {
      mkdirSync(dirname(resolve(o.config.journal)), { recursive: true });
      const j = openSqliteJournal({ path: resolve(o.config.journal), durability: 'durable', key: o.key, create: true });
      if (isLeft(j)) throw new AppError(j.left.code, j.left.message, EXIT.journal);
      journal = j.right;
    }
    const now = Date.now(); // allow-nondeterminism: app layer, the data journal records wall time
    const r = await journal.append(events.map((e) => ({
      eventId: asEventId(randomUUID()), stream: 'data', type: e.type, schemaVersion: CURRENT_SCHEMA_VERSION[e.type],
      occurredAt: now, recordedAt: now, causationId: null, correlationId: 'symbol' in e.data ? String(e.data.symbol) : null, data: e.data,
    })), 'any');
    if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.journal);
  };
  return {
    config: o.config, rules: rules.right, store: store.right, record,
    close: async () => { store.right.close(); await (journal as Journal | null)?.close(); },
  };
}

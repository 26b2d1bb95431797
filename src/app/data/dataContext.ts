import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent, Journal, MarketRules, NewEvent } from '../../domain/index.js';
import { CURRENT_SCHEMA_VERSION, asEventId, canonicalJson, deterministicUuid } from '../../domain/index.js';
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

/** What `record` did: events appended, and findings the data journal already held (not written again). */
export interface RecordResult {
  readonly written: number;
  readonly alreadyRecorded: number;
}

export interface DataContext {
  readonly config: DataConfig;
  readonly rules: MarketRules;
  readonly store: MarketStore;
  /**
   * Appends data events (rejections, corrections, provider switches) to the data journal. A
   * rejection or correction is a finding about a source's content: its event id is derived from
   * that content, so the same finding recorded again (a file imported twice) is not written twice.
   */
  record(events: readonly DomainEvent[]): Promise<RecordResult>;
  close(): Promise<void>;
}

/** Findings whose id is their content: recording them is idempotent. */
const CONTENT_ID_TYPES: ReadonlySet<string> = new Set(['DataRejected', 'DataCorrected']);
const DATA_FINDING_NAMESPACE = 'ashare-data-finding';

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
  const record = async (events: readonly DomainEvent[]): Promise<RecordResult> => {
    if (events.length === 0) return { written: 0, alreadyRecorded: 0 };
    if (!journal) {
      mkdirSync(dirname(resolve(o.config.journal)), { recursive: true });
      const j = openSqliteJournal({ path: resolve(o.config.journal), durability: 'durable', key: o.key, create: true });
      if (isLeft(j)) throw new AppError(j.left.code, j.left.message, EXIT.journal);
      journal = j.right;
    }
    const now = Date.now(); // allow-nondeterminism: app layer, the data journal records wall time
    const seen = new Set<string>();
    let repeated = 0;
    const batch: NewEvent[] = [];
    for (const e of events) {
      const schemaVersion = CURRENT_SCHEMA_VERSION[e.type];
      const eventId = CONTENT_ID_TYPES.has(e.type)
        ? deterministicUuid(DATA_FINDING_NAMESPACE, canonicalJson({ type: e.type, schemaVersion, data: e.data }))
        : randomUUID();
      if (seen.has(eventId)) { repeated++; continue; }
      seen.add(eventId);
      batch.push({
        eventId: asEventId(eventId), stream: 'data', type: e.type, schemaVersion,
        occurredAt: now, recordedAt: now, causationId: null, correlationId: 'symbol' in e.data ? String(e.data.symbol) : null, data: e.data,
      });
    }
    return appendNew(journal, batch, repeated);
  };
  return {
    config: o.config, rules: rules.right, store: store.right, record,
    close: async () => { store.right.close(); await (journal as Journal | null)?.close(); },
  };
}

/**
 * Appends the events the journal does not hold yet. The whole batch already stored (the same
 * import again) is the journal's idempotent retry; some of it stored is a duplicate-id answer, and
 * then the data stream's ids are read once and only the new events are appended, in one batch.
 */
async function appendNew(journal: Journal, batch: readonly NewEvent[], repeated: number): Promise<RecordResult> {
  const fail = (e: { code: string; message: string }) => new AppError(e.code, e.message, EXIT.journal);
  const r = await journal.append(batch, 'any');
  if (!isLeft(r)) return r.right.deduplicated ? { written: 0, alreadyRecorded: batch.length + repeated } : { written: batch.length, alreadyRecorded: repeated };
  if (r.left.code !== 'JOURNAL_DUPLICATE_EVENT') throw fail(r.left);
  const stored = new Set<string>();
  for await (const e of journal.read({ stream: 'data' })) stored.add(e.eventId);
  const fresh = batch.filter((e) => !stored.has(e.eventId));
  if (fresh.length > 0) {
    const again = await journal.append(fresh, 'any');
    if (isLeft(again)) throw fail(again.left);
  }
  return { written: fresh.length, alreadyRecorded: batch.length - fresh.length + repeated };
}

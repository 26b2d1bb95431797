import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { Journal, JournalError } from '../../domain/index.js';
import type { Durability, JournalKey, VerifyResult } from '../../adapters/journal/index.js';
import { openSqliteJournal, verifyJournalFile } from '../../adapters/journal/index.js';
import { isPostgresUrl, redactUrl } from '../../adapters/postgres/pgUrl.js';
import { readAnchor, type Anchor } from '../../adapters/journal/anchor.js';

/*
 * Where a journal lives, as the CLI takes it: a file path (SQLite) or a `postgres://…` URL
 * (`?journal=NAME` picks one of the journals on that database; default `main`). The PostgreSQL
 * adapter and its driver are loaded only when a URL selects them.
 */

export { isPostgresUrl };

/**
 * The head anchor stored beside a journal file, as stored (`ashare journal verify` checks its MAC and
 * that the chain reaches it): null when there is none or it cannot be read; undefined for a
 * PostgreSQL journal, which keeps its head in its own row and has no anchor file.
 */
export function storedAnchorOf(locator: string): Anchor | null | undefined {
  if (isPostgresUrl(locator)) return undefined;
  const r = readAnchor(locator);
  return r.kind === 'ok' ? r.anchor : null;
}

/** How a journal may be named in output and logs: a URL's password is never shown. */
export const shownJournal = (locator: string): string => (isPostgresUrl(locator) ? redactUrl(locator) : locator);

export interface OpenJournalOptions {
  readonly key?: JournalKey;
  readonly durability?: Durability;
  readonly readonly?: boolean;
  readonly create?: boolean;
  readonly exclusive?: boolean;
}

/** Opens the journal at a path or URL (read-only unless `create` or `readonly: false` is asked for). */
export async function openJournalAt(locator: string, o: OpenJournalOptions = {}): Promise<Either<JournalError, Journal>> {
  const readonly = o.readonly ?? o.create !== true;
  const durability = o.durability ?? 'durable';
  if (isPostgresUrl(locator)) {
    const { openPgJournal } = await import('../../adapters/journal/pgJournal.js');
    const r = await openPgJournal({
      url: locator, durability, key: o.key, readonly, create: o.create === true, exclusive: o.exclusive === true,
    });
    return isLeft(r) ? r : right(r.right);
  }
  const r = openSqliteJournal({ path: locator, durability, key: o.key, readonly, create: o.create === true, exclusive: o.exclusive === true });
  return isLeft(r) ? r : right(r.right);
}

/** `verifyJournalFile` for a path, `verifyPgJournal` for a URL: the same verdicts either way. */
export async function verifyJournalAt(locator: string, key: JournalKey | undefined, opts: { readonly anchor?: boolean } = {}): Promise<VerifyResult> {
  if (isPostgresUrl(locator)) {
    const { verifyPgJournal } = await import('../../adapters/journal/pgVerify.js');
    return verifyPgJournal(locator, key);
  }
  return verifyJournalFile(locator, key, opts);
}

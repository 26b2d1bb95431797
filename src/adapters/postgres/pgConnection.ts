import pg from 'pg';
import { describeServer, redactUrl } from './pgUrl.js';

export { describeServer, isPostgresUrl, redactUrl, takeParams } from './pgUrl.js';

/*
 * How the PostgreSQL adapters (journal, sweep queue) read a `postgres://` URL, connect, and say
 * what went wrong without ever showing the URL's password.
 */

// int8 (bigint) as a JS number: seqs and epoch milliseconds are safe integers; the driver's default is a string.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A pool on `url` whose bigint columns come back as numbers. Connection errors surface on first use. */
export function createPool(url: string, max = 4, applicationName = 'ashare'): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** A single client (e.g. for LISTEN) with the same settings as `createPool`. */
export function createClient(url: string, applicationName = 'ashare'): pg.Client {
  const c = new pg.Client({ connectionString: url, types, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  return c;
}

export type PgFailureKind = 'UNAVAILABLE' | 'NOT_FOUND' | 'FULL' | 'READONLY' | 'IO';

/** A PostgreSQL or socket error as one sentence naming the server (never the password). */
export function classifyPgError(err: unknown, url: string, action: string): { kind: PgFailureKind; message: string } {
  const e = err as { code?: string; message?: string };
  const where = describeServer(url);
  const code = e?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === '57P01' || code === '57P03') {
    return { kind: 'UNAVAILABLE', message: `cannot ${action}: the PostgreSQL server at ${where} is not reachable (${code})` };
  }
  if (code === '28P01' || code === '28000') {
    return { kind: 'UNAVAILABLE', message: `cannot ${action}: the PostgreSQL server at ${where} refused the login (check the user and password)` };
  }
  if (code === '3D000') return { kind: 'NOT_FOUND', message: `cannot ${action}: the database of ${where} does not exist` };
  if (code === '53100') return { kind: 'FULL', message: `cannot ${action}: the PostgreSQL server at ${where} is out of disk space` };
  if (code === '25006') return { kind: 'READONLY', message: `cannot ${action}: the PostgreSQL server at ${where} is read-only` };
  const why = (e?.message ?? String(err)).split('\n')[0]!.replace(/postgres(ql)?:\/\/\S+/gi, (m) => redactUrl(m));
  return { kind: 'IO', message: `cannot ${action} on ${where}: ${why}${code ? ` (${code})` : ''}` };
}

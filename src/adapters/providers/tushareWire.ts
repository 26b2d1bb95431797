import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { ProviderError } from '../../domain/data/provider.js';
import { providerError } from './httpClient.js';
import { BadField } from './vendorFields.js';

export const TUSHARE = 'tushare';

/** One row of a Tushare table keyed by field name. */
export type TushareRecord = Readonly<Record<string, unknown>>;

const bad = (api: string, why: string): ProviderError => providerError(TUSHARE, 'PROVIDER_BAD_RESPONSE', `tushare ${api}: ${why}`);

/**
 * Maps a Tushare `code ≠ 0` answer (§11.1) to a typed error. Tushare documents 2002 as a permission
 * problem; the rest is recognised by its message, the only signal the vendor gives (rate-limit text
 * "每分钟最多访问…", token complaints mention "token").
 */
export function tushareCodeError(api: string, code: number, msg: string): ProviderError {
  const what = `tushare ${api}: code ${code}${msg ? ` (${msg})` : ''}`;
  if (/最多访问|访问频率|too many|rate limit/i.test(msg)) return providerError(TUSHARE, 'PROVIDER_RATE_LIMITED', `${what}: rate limited`);
  if (code === 2002 || /权限|积分|permission/i.test(msg)) return providerError(TUSHARE, 'PROVIDER_PERMISSION', `${what}: this token has no access to the endpoint`);
  if (/token/i.test(msg)) return providerError(TUSHARE, 'PROVIDER_AUTH', `${what}: the token was refused`);
  return providerError(TUSHARE, 'PROVIDER_BAD_REQUEST', `${what}: request refused`);
}

/** Parses `{code, msg, data: {fields, items}}`, checking every row has one value per field. */
export function parseTushareBody(api: string, text: string): Either<ProviderError, TushareRecord[]> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return left(bad(api, `the answer is not complete JSON (${text.length} bytes; truncated?)`));
  }
  if (typeof body !== 'object' || body === null) return left(bad(api, 'the answer is not a JSON object'));
  const { code, msg, data } = body as { code?: unknown; msg?: unknown; data?: unknown };
  if (typeof code !== 'number') return left(bad(api, 'the answer has no numeric `code`'));
  if (code !== 0) return left(tushareCodeError(api, code, typeof msg === 'string' ? msg : ''));
  if (typeof data !== 'object' || data === null) return left(bad(api, '`data` is missing'));
  const { fields, items } = data as { fields?: unknown; items?: unknown };
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) return left(bad(api, '`data.fields` is not a list of names'));
  if (!Array.isArray(items)) return left(bad(api, '`data.items` is not a list'));
  const names = fields as string[];
  const out: TushareRecord[] = [];
  for (let i = 0; i < items.length; i++) {
    const it: unknown = items[i];
    if (!Array.isArray(it) || it.length !== names.length) {
      return left(bad(api, `row ${i} has ${Array.isArray(it) ? it.length : 'no'} values for ${names.length} fields`));
    }
    out.push(Object.fromEntries(names.map((n, j) => [n, it[j]])));
  }
  return right(out);
}

/** Applies a row mapper, turning an unreadable field into PROVIDER_BAD_RESPONSE naming the endpoint. */
export function mapRows<T>(api: string, rows: readonly TushareRecord[], f: (r: TushareRecord) => T | undefined): Either<ProviderError, T[]> {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    try {
      const v = f(r);
      if (v !== undefined) out.push(v);
    } catch (e) {
      if (e instanceof BadField) return left(bad(api, `row ${i}: ${e.message}`));
      throw e;
    }
  }
  return right(out);
}

/** Reads a required column, failing when the vendor omitted it. */
export function col(r: TushareRecord, name: string): unknown {
  if (!(name in r)) throw new BadField(`field \`${name}\` missing`);
  return r[name];
}

import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { ProviderError } from '../../domain/data/provider.js';
import { parseSymbol, type SecuritySymbol } from '../../domain/symbol.js';
import { providerError } from './httpClient.js';

export const JQDATA = 'jqdata';

// Suffixes by vendor, §1.3: JoinQuant XSHG / XSHE / BJSE ↔ Tushare-style SH / SZ / BJ.
const TO_JQ = { SH: 'XSHG', SZ: 'XSHE', BJ: 'BJSE' } as const;
const FROM_JQ: Readonly<Record<string, 'SH' | 'SZ' | 'BJ'>> = { XSHG: 'SH', XSHE: 'SZ', BJSE: 'BJ' };

/** `600519.SH` → `600519.XSHG`; undefined when the code is not a suffixed A-share code. */
export function toJqCode(symbol: string): string | undefined {
  const s = parseSymbol(symbol);
  return s === undefined ? undefined : `${s.slice(0, 6)}.${TO_JQ[s.slice(7) as keyof typeof TO_JQ]}`;
}

/** `000001.XSHE` → `000001.SZ`; undefined for other exchanges or shapes. */
export function fromJqCode(code: string): SecuritySymbol | undefined {
  const m = /^(\d{6})\.([A-Z]{4})$/.exec(code.trim());
  const ex = m ? FROM_JQ[m[2]!] : undefined;
  return ex === undefined ? undefined : parseSymbol(`${m![1]}.${ex}`);
}

/** True for JQData's error answers: plain text starting `error:` (§11.2). */
export const isJqError = (text: string): boolean => /^\s*error\s*:/i.test(text);

/** Is this error text about the token (expired / invalid), the one case worth a fresh `get_token`? */
export const isTokenTrouble = (text: string): boolean => /token/i.test(text);

/**
 * Maps an `error:` text to a typed error. JQData gives no codes, only Chinese or English text, so the
 * classification is by keywords; anything unrecognised is a non-retryable bad request.
 */
export function jqErrorOf(method: string, text: string): ProviderError {
  const msg = text.trim().replace(/^error\s*:\s*/i, '').slice(0, 200);
  const what = `jqdata ${method}: ${msg}`;
  if (/token|密码|账号|用户|登录|auth/i.test(msg)) return providerError(JQDATA, 'PROVIDER_AUTH', what);
  if (/权限|permission|未开通|无权/i.test(msg)) return providerError(JQDATA, 'PROVIDER_PERMISSION', what);
  if (/频率|次数|上限|条数|limit|too many|流量/i.test(msg)) return providerError(JQDATA, 'PROVIDER_RATE_LIMITED', what);
  if (/系统|繁忙|稍后|unavailable|server/i.test(msg)) return providerError(JQDATA, 'PROVIDER_UNAVAILABLE', what);
  return providerError(JQDATA, 'PROVIDER_BAD_REQUEST', what);
}

/** CSV rows keyed by the header's names; every row must have exactly the header's column count. */
export function parseJqCsv(method: string, text: string, required: readonly string[]): Either<ProviderError, Array<Record<string, string>>> {
  const bad = (why: string): Either<ProviderError, never> => left(providerError(JQDATA, 'PROVIDER_BAD_RESPONSE', `jqdata ${method}: ${why}`));
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return bad('empty answer (expected a CSV header)');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length > 0) return bad(`CSV header lacks ${missing.join(', ')} (got "${lines[0]!.slice(0, 120)}")`);
  const rows: Array<Record<string, string>> = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    if (cells.length !== header.length) return bad(`CSV line ${i + 1} has ${cells.length} cells for ${header.length} columns`);
    rows.push(Object.fromEntries(header.map((h, j) => [h, cells[j]!.trim()])));
  }
  return right(rows);
}

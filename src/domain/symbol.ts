import type { Brand } from './brand.js';

/** A security code with its exchange suffix: `600519.SH`, `000001.SZ`, `920118.BJ`. */
export type SecuritySymbol = Brand<string, 'SecuritySymbol'>;
export type Exchange = 'SH' | 'SZ' | 'BJ';

const SYMBOL_RE = /^(\d{6})\.(SH|SZ|BJ)$/;

export function parseSymbol(s: string): SecuritySymbol | undefined {
  return SYMBOL_RE.test(s) ? (s as SecuritySymbol) : undefined;
}

export function asSymbol(s: string): SecuritySymbol {
  const v = parseSymbol(s);
  if (v === undefined) throw new RangeError(`not a suffixed A-share code (e.g. 600519.SH): ${JSON.stringify(s)}`);
  return v;
}

export const exchangeOf = (s: SecuritySymbol): Exchange => s.slice(7) as Exchange;
export const codeOf = (s: SecuritySymbol): string => s.slice(0, 6);

const KEY_EXCHANGES: readonly Exchange[] = ['SH', 'SZ', 'BJ'];

/**
 * `dddddd.SH|SZ|BJ` at t[s, e) as one integer, code × 4 + exchange (SH 0, SZ 1, BJ 2) — ordered
 * like the symbols within an exchange; −1 when the text has another shape. No regex, no substring:
 * the bar readers and the packed bars call it for every bar.
 */
export function symbolKey(t: string, s = 0, e = t.length): number {
  if (e - s !== 9 || t.charCodeAt(s + 6) !== 46) return -1;
  let code = 0;
  for (let i = s; i < s + 6; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    code = code * 10 + c;
  }
  const a = t.charCodeAt(s + 7), b = t.charCodeAt(s + 8);
  const x = a === 83 && b === 72 ? 0 : a === 83 && b === 90 ? 1 : a === 66 && b === 74 ? 2 : -1; // SH, SZ, BJ
  return x < 0 ? -1 : code * 4 + x;
}

/** The symbol of a `symbolKey`, or null when the integer names none. */
export function symbolOfKey(key: number): SecuritySymbol | null {
  if (!Number.isSafeInteger(key) || key < 0) return null;
  const ex = KEY_EXCHANGES[key % 4];
  const code = Math.floor(key / 4);
  if (ex === undefined || code > 999_999) return null;
  return `${String(code).padStart(6, '0')}.${ex}` as SecuritySymbol;
}

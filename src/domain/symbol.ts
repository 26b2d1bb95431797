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

import { parseSymbol, type SecuritySymbol } from '../../domain/symbol.js';
import { parseTradingDay, type TradingDay } from '../../domain/tradingDay.js';

// Vendor code forms (ashare-market-rules.md §1.3): Tushare/Wind `600000.SH`, JoinQuant `600000.XSHG` /
// `000001.XSHE` / `.BJSE`, baostock `sh.600000`, TDX file names `sh600000`. All become `600000.SH`.
const SUFFIX: Record<string, 'SH' | 'SZ' | 'BJ'> = {
  SH: 'SH', SZ: 'SZ', BJ: 'BJ', XSHG: 'SH', XSHE: 'SZ', BJSE: 'BJ', SSE: 'SH', SZSE: 'SZ', BSE: 'BJ',
};
const SUFFIXED = /^(\d{6})\.([A-Za-z]{2,4})$/;
const PREFIXED = /^([A-Za-z]{2})\.?(\d{6})$/;

/** A vendor code in any of the forms above as a suffixed symbol; undefined for a bare or unknown code. */
export function vendorSymbol(raw: string): SecuritySymbol | undefined {
  const s = raw.trim();
  let m = SUFFIXED.exec(s);
  if (m) {
    const x = SUFFIX[m[2]!.toUpperCase()];
    return x ? parseSymbol(`${m[1]}.${x}`) : undefined;
  }
  m = PREFIXED.exec(s);
  if (m) {
    const x = SUFFIX[m[1]!.toUpperCase()];
    return x ? parseSymbol(`${m[2]}.${x}`) : undefined;
  }
  return undefined;
}

/** A symbol encoded in a file name (`600000.XSHG.csv`, `sh600000.day`, `sz.000001.csv.gz`), if any. */
export function symbolFromFileName(name: string): SecuritySymbol | undefined {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.gz$/i, '').replace(/\.[A-Za-z0-9]+$/, '');
  return vendorSymbol(base);
}

/** `YYYYMMDD`, `YYYY-MM-DD`, `YYYY/MM/DD`, optionally followed by a midnight time (`2024-01-02 00:00:00`). */
export function vendorDay(raw: string): TradingDay | undefined {
  let s = raw.trim();
  const sp = s.search(/[ T]/);
  if (sp > 0) {
    if (!/^(00:00(:00(\.0+)?)?)?$/.test(s.slice(sp + 1))) return undefined;
    s = s.slice(0, sp);
  }
  if (s.length === 10 && s[4] === '/' && s[7] === '/') s = s.replace(/\//g, '-');
  return parseTradingDay(s);
}

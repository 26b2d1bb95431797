import { readFileSync } from 'node:fs';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { parseSymbol, parseTradingDay } from '../../domain/index.js';
import type { InstrumentDates } from './simulate.js';

/** Reads `symbol,name,list_date,delist_date` (dates YYYY-MM-DD or YYYYMMDD; delist_date may be empty). */
export function readInstrumentsCsv(path: string): Either<string, Map<string, InstrumentDates>> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return left(`${path}: cannot read the instruments file`); }
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (rows[0] ?? '').split(',').map((h) => h.trim());
  const col = (n: string) => header.indexOf(n);
  const [cs, cl, cd] = [col('symbol'), col('list_date'), col('delist_date')];
  if (cs < 0 || cl < 0) return left(`${path}:1: the header needs symbol,name,list_date[,delist_date]`);
  const out = new Map<string, InstrumentDates>();
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.trim() === '') continue;
    const f = rows[i]!.split(',').map((x) => x.trim());
    const sym = parseSymbol(f[cs] ?? '');
    if (!sym) return left(`${path}:${i + 1}: bad symbol ${JSON.stringify(f[cs] ?? '')}`);
    const list = f[cl] ? parseTradingDay(f[cl]!) : null;
    if (f[cl] && !list) return left(`${path}:${i + 1}: bad list_date ${JSON.stringify(f[cl])}`);
    const del = cd >= 0 && f[cd] ? parseTradingDay(f[cd]!) : null;
    if (cd >= 0 && f[cd] && !del) return left(`${path}:${i + 1}: bad delist_date ${JSON.stringify(f[cd])}`);
    out.set(sym, { listDay: list ?? null, delistDay: del ?? null });
  }
  return right(out);
}

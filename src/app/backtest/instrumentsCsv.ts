import { readFileSync } from 'node:fs';
import type { DataOf, TradingDay } from '../../domain/index.js';
import { AppError, EXIT } from '../errors.js';

const SYMBOL = /^\d{6}\.(SH|SZ|BJ)$/;

/**
 * Reads an instruments CSV (`symbol,sector,total_shares`, header required, either value may be
 * empty) as the reference data journaled on `day`. A bad row stops the run with its file and line.
 */
export function readInstrumentsCsv(path: string, day: TradingDay): DataOf<'InstrumentsReferenced'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError('INSTRUMENTS_INVALID', `${path}: cannot read the instruments file`, EXIT.badInput);
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim();
  if (header !== 'symbol,sector,total_shares') {
    throw new AppError('INSTRUMENTS_INVALID', `${path} line 1: expected the header symbol,sector,total_shares`, EXIT.badInput);
  }
  const rows = new Map<string, { sector: string | null; shares: number | null }>();
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const bad = (what: string): never => { throw new AppError('INSTRUMENTS_INVALID', `${path} line ${i + 2}: ${what}`, EXIT.badInput); };
    const f = line.split(',');
    if (f.length !== 3) bad(`expected 3 fields, got ${f.length}`);
    const [symbol, sector, shares] = f as [string, string, string];
    if (!SYMBOL.test(symbol)) bad(`symbol ${JSON.stringify(symbol)} is not a suffixed code like 600519.SH`);
    if (rows.has(symbol)) bad(`${symbol} appears twice`);
    if (sector.length > 64) bad('sector longer than 64 characters');
    if (shares !== '' && !/^[1-9]\d*$/.test(shares)) bad(`total_shares ${JSON.stringify(shares)} is not a positive whole number`);
    const n = shares === '' ? null : Number(shares);
    if (n !== null && !Number.isSafeInteger(n)) bad('total_shares is too large');
    rows.set(symbol, { sector: sector === '' ? null : sector, shares: n });
  });
  const symbols = [...rows.keys()].sort();
  return {
    day, source: `instruments file ${path}`, symbols,
    sectors: symbols.map((s) => rows.get(s)!.sector), totalShares: symbols.map((s) => rows.get(s)!.shares),
  };
}

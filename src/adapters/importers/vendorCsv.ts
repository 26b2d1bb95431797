import { left, type Either } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';
import type { SecuritySymbol } from '../../domain/symbol.js';
import { parseDecimalUnits } from '../bars/decimalField.js';
import { readCsvBatches } from './csvRows.js';
import { ImportCollector, importError, listImportFiles, type ImportError, type ImportOptions, type ImportResult } from './importResult.js';
import { symbolFromFileName, vendorDay, vendorSymbol } from './vendorCodes.js';
import type { VendorColumns } from './vendorColumns.js';

/** `symbol` (ImportOptions): for files without a code column (e.g. a JQData `get_price` answer), the security of every row. */
export type VendorCsvOptions = ImportOptions;

type Slot = 'symbol' | 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount' | 'preClose' | 'isSt';
const REQUIRED: readonly Slot[] = ['date', 'open', 'high', 'low', 'close', 'volume', 'amount'];
const OPTIONAL: readonly Slot[] = ['symbol', 'preClose', 'isSt'];

interface Layout { readonly at: Partial<Record<Slot, number>>; readonly suspendedAt: number; readonly width: number }

class RowProblem extends Error {}
const fail = (msg: string): never => { throw new RowProblem(msg); };
const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

function layoutOf(header: string[], cols: VendorColumns): Layout | string {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (aliases: readonly string[]): number => {
    for (const a of aliases) { const i = names.indexOf(a); if (i >= 0) return i; }
    return -1;
  };
  const at: Partial<Record<Slot, number>> = {};
  const missing: string[] = [];
  for (const s of REQUIRED) {
    const i = find(cols[s]);
    if (i < 0) missing.push(cols[s].filter((a) => a !== '').join('|') || s); else at[s] = i;
  }
  if (missing.length) return `header is missing column ${missing.join(', ')} (found ${JSON.stringify(header.join(',').slice(0, 200))})`;
  for (const s of OPTIONAL) { const i = find(cols[s]); if (i >= 0) at[s] = i; }
  return { at, suspendedAt: cols.suspended ? find(cols.suspended.column) : -1, width: header.length };
}

/** Price in 0.001 CNY, half-up beyond three decimals (vendors write 2–4 decimals). */
function price(name: string, s: string): number {
  const v = parseDecimalUnits(s.trim(), 3, 'halfUp');
  if (!(v > 0)) fail(`${name} is not a positive price: ${show(s)}`);
  return v;
}

/** Shares: lots × 100 exactly from the decimal text (Tushare writes fractional lots, e.g. 1719786.77); shares must be whole. */
function volumeShares(cols: VendorColumns, s: string): number {
  const t = s.trim();
  const v = cols.volumeUnit === 'lots' ? parseDecimalUnits(t, 2, 'halfUp') : parseDecimalUnits(t, 2, 'reject');
  if (Number.isNaN(v) || v < 0) fail(`volume is not a non-negative number: ${show(s)}`);
  if (cols.volumeUnit === 'lots') return v;
  if (v % 100 !== 0) fail(`volume is not a whole number of shares: ${show(s)}`);
  return v / 100;
}

/** `s` × 1000 as decimal text, by moving the point (thousand CNY → CNY without a float); '' when not a plain decimal. */
function timesThousand(s: string): string {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return '';
  const frac = (m[3] ?? '').padEnd(3, '0');
  const whole = `${m[2]}${frac.slice(0, 3)}`.replace(/^0+(?=\d)/, '');
  return `${m[1]}${whole}${frac.length > 3 ? `.${frac.slice(3)}` : ''}`;
}

/** Fen, rounded half-up at 0.01 CNY; thousand CNY (Tushare) is scaled exactly on the decimal text first. */
function amountFen(cols: VendorColumns, s: string): number {
  const t = s.trim();
  const v = parseDecimalUnits(cols.amountUnit === 'cny' ? t : timesThousand(t), 2, 'halfUp');
  if (Number.isNaN(v) || v < 0) fail(`amount is not a non-negative number: ${show(s)}`);
  return v;
}

function toBar(f: string[], L: Layout, cols: VendorColumns, fixed: SecuritySymbol | undefined, checkOhlc = true): Bar | 'suspended' {
  const at = L.at, get = (s: Slot): string => f[at[s]!] ?? '';
  if (L.suspendedAt >= 0 && cols.suspended!.values.includes((f[L.suspendedAt] ?? '').trim().toLowerCase())) return 'suspended';
  if (cols.zeroVolumeSuspended) { const v = get('volume').trim(); if (v === '' || Number(v) === 0) return 'suspended'; }
  const rawSym = at.symbol === undefined ? undefined : get('symbol');
  const symbol = rawSym === undefined ? fixed! : vendorSymbol(rawSym) ?? fail(`bad security code ${show(rawSym)}`);
  const day = vendorDay(get('date')) ?? fail(`bad date ${show(get('date'))}`);
  const open = price('open', get('open')), high = price('high', get('high')), low = price('low', get('low')), close = price('close', get('close'));
  if (checkOhlc && (low > open || low > close || high < open || high < close)) {
    fail(`OHLC is inconsistent: need low ≤ open, close ≤ high, got ${get('open')}, ${get('high')}, ${get('low')}, ${get('close')}`);
  }
  const pc = at.preClose === undefined ? '' : get('preClose').trim();
  const st = at.isSt === undefined ? '0' : get('isSt').trim();
  if (st !== '0' && st !== '1' && st !== '') fail(`isST must be 0 or 1, got ${show(st)}`);
  return {
    symbol, day, open, high, low, close, volume: volumeShares(cols, get('volume')), amountFen: amountFen(cols, get('amount')),
    preClose: pc === '' ? null : price('pre_close', pc), isSt: st === '1' ? 1 : 0,
  };
}

/** Reads one file into the collector; false when strict mode stops the import. */
async function readOne(file: string, cols: VendorColumns, opts: VendorCsvOptions, c: ImportCollector): Promise<boolean> {
  const optSym = opts.symbol === undefined ? undefined : vendorSymbol(opts.symbol);
  let layout: Layout | undefined;
  let fixed: SecuritySymbol | undefined;
  const rows: Bar[] = [];
  const lines: number[] = [];
  let suspended = 0, others = 0;
  try {
    for await (const batch of readCsvBatches(file)) {
      for (const { line, fields } of batch) {
        if (layout === undefined) {
          const l = layoutOf(fields, cols);
          if (typeof l === 'string') return c.problem(file, line, l);
          fixed = optSym ?? symbolFromFileName(file);
          if (l.at.symbol === undefined && fixed === undefined) {
            return c.problem(file, line, 'no code column, no `symbol` option and no code in the file name');
          }
          layout = l;
          continue;
        }
        if (fields.length !== layout.width) {
          if (!c.problem(file, line, `expected ${layout.width} fields, found ${fields.length}`)) return false;
          continue;
        }
        if (optSym !== undefined && layout.at.symbol !== undefined) {
          const code = vendorSymbol(fields[layout.at.symbol] ?? '');
          if (code !== undefined && code !== optSym) { others++; continue; } // a bad code still reaches toBar, which names it
        }
        try {
          const b = toBar(fields, layout, cols, fixed, opts.checkOhlc !== false);
          if (b === 'suspended') suspended++; else { rows.push(b); lines.push(line); }
        } catch (e) {
          if (!(e instanceof RowProblem)) throw e;
          if (!c.problem(file, line, e.message)) return false;
        }
      }
    }
  } catch (e) {
    const code = String((e as NodeJS.ErrnoException).code);
    return c.problem(file, 0, code.startsWith('Z_') ? 'not a valid gzip file' : `cannot be read (${(e as Error).message})`);
  }
  if (layout === undefined) return c.problem(file, 1, 'the file is empty; expected a header line');
  c.addRows(file, rows, lines);
  c.suspendedRows += suspended;
  c.otherSymbolRows += others;
  c.files++;
  return true;
}

/**
 * Imports vendor CSV files (a file, a `.gz` file, or a folder: every `*.csv` / `*.csv.gz` below it,
 * sorted) into canonical bars. Rows that cannot be parsed become problems (file, 1-based line) and are
 * skipped; with `strict`, the first problem is returned as IMPORT_INVALID instead.
 */
export async function importVendorCsv(path: string, cols: VendorColumns, opts: VendorCsvOptions = {}): Promise<Either<ImportError, ImportResult>> {
  if (opts.symbol !== undefined && vendorSymbol(opts.symbol) === undefined) {
    return left(importError('IMPORT_OPTIONS_INVALID', path, 0, `symbol option ${show(opts.symbol)} is not a code like 600000.SH, 600000.XSHG or sh.600000.`));
  }
  const files = await listImportFiles(path, ['.csv']);
  if (files._tag === 'Left') return files;
  const c = new ImportCollector(opts.strict === true);
  for (const f of files.right) if (!(await readOne(f, cols, opts, c))) break;
  return c.result();
}

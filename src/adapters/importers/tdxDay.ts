import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { left, type Either } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';
import { codeOf, exchangeOf, parseSymbol, type SecuritySymbol } from '../../domain/symbol.js';
import { parseTradingDay } from '../../domain/tradingDay.js';
import { isGzipPath } from '../bars/textLines.js';
import { ImportCollector, importError, listImportFiles, type ImportError, type ImportOptions, type ImportResult } from './importResult.js';
import { vendorSymbol } from './vendorCodes.js';

// Tongdaxin `vipdoc/{sh,sz,bj}/lday/<mkt><code>.day` (ashare-market-rules.md §11.3, checked against the
// tdx_lday_2011_2017 MANIFEST): 32-byte little-endian records, no header — uint32 YYYYMMDD, open/high/
// low/close uint32 in 0.01 CNY (0.001 CNY for funds: sh510050 close raw 2338 = 2.338 CNY), float32
// amount CNY, uint32 volume (shares; LOTS for indices), uint32 reserved. No pre-close: preClose null.

export const TDX_RECORD_BYTES = 32;

/** What a TDX file holds, from its market and code. `other` (B shares, bonds, repos) is never imported. */
export type TdxKind = 'stock' | 'fund' | 'index' | 'other';

export interface TdxOptions extends ImportOptions {
  /** Import index files too (000xxx.SH, 399xxx.SZ, 880xxx block indices, 899xxx.BJ). Default false: indices are not tradable. */
  readonly includeIndices?: boolean;
}

/** Kind by code prefix (ref §1.1; 880xxx/999xxx are TDX's own SH block/alias indices). */
export function tdxKindOf(symbol: SecuritySymbol): TdxKind {
  const code = codeOf(symbol), p3 = code.slice(0, 3), p2 = code.slice(0, 2);
  switch (exchangeOf(symbol)) {
    case 'SH':
      if (p3 === '000' || p3 === '880' || p3 === '999') return 'index';
      if (p2 === '60' || p2 === '68') return 'stock';
      if (code[0] === '5') return 'fund';
      return 'other';
    case 'SZ':
      if (p3 === '399') return 'index';
      if (p2 === '00' || p2 === '30') return 'stock';
      if (p2 === '15' || p2 === '16') return 'fund';
      return 'other';
    case 'BJ':
      if (p3 === '899') return 'index';
      if (p3 === '920' || p2 === '43' || p2 === '83' || p2 === '87' || p2 === '88') return 'stock';
      return 'other';
  }
}

/** `sh600000.day` (or `.day.gz`) → `600000.SH`. */
export function tdxSymbolOf(file: string): SecuritySymbol | undefined {
  const m = /^(sh|sz|bj)(\d{6})\.day(\.gz)?$/i.exec(basename(file));
  return m ? parseSymbol(`${m[2]}.${m[1]!.toUpperCase()}`) : undefined;
}

/**
 * Decodes the records of one `.day` file. Prices: × 10 to 0.001 CNY (× 1 for funds). Amount: float32
 * CNY × 100 rounded half-up to fen (float32 keeps ~7 significant digits, so large turnovers are already
 * rounded by TDX). Volume: indices' lots × 100 to shares. A bad record or a trailing partial record is
 * reported through `problem(recordNumber, message)` (1-based); `problem` returning false stops.
 */
export function decodeTdxDay(buf: Buffer, symbol: SecuritySymbol, kind: TdxKind, problem: (rec: number, msg: string) => boolean): Bar[] {
  const priceScale = kind === 'fund' ? 1 : 10;
  const volumeScale = kind === 'index' ? 100 : 1;
  const whole = Math.floor(buf.length / TDX_RECORD_BYTES);
  const out: Bar[] = [];
  for (let r = 0; r < whole; r++) {
    const o = r * TDX_RECORD_BYTES;
    const ymd = buf.readUInt32LE(o);
    const day = parseTradingDay(String(ymd));
    const open = buf.readUInt32LE(o + 4) * priceScale, high = buf.readUInt32LE(o + 8) * priceScale;
    const low = buf.readUInt32LE(o + 12) * priceScale, close = buf.readUInt32LE(o + 16) * priceScale;
    const amount = buf.readFloatLE(o + 20);
    const volume = buf.readUInt32LE(o + 24) * volumeScale;
    let msg: string | undefined;
    if (day === undefined) msg = `bad date ${ymd}`;
    else if (!(open > 0 && high > 0 && low > 0 && close > 0)) msg = `non-positive price on ${day}`;
    else if (low > open || low > close || high < open || high < close) msg = `OHLC is inconsistent on ${day}: ${open}, ${high}, ${low}, ${close} (0.001 CNY)`;
    else if (!(amount >= 0) || !Number.isFinite(amount)) msg = `bad amount ${amount} on ${day}`;
    if (msg !== undefined) {
      if (!problem(r + 1, `record ${r + 1} at byte offset ${o}: ${msg}`)) return out;
      continue;
    }
    out.push({ symbol, day: day!, open, high, low, close, volume, amountFen: Math.round(amount * 100), preClose: null, isSt: 0 });
  }
  if (buf.length % TDX_RECORD_BYTES !== 0) {
    const o = whole * TDX_RECORD_BYTES;
    problem(whole + 1, `file size ${buf.length} is not a multiple of ${TDX_RECORD_BYTES}: ${buf.length - o} trailing bytes at byte offset ${o} (truncated record skipped)`);
  }
  return out;
}

/**
 * Imports TDX daily files: one `.day` / `.day.gz` file, or a folder (a whole `vipdoc` root) read
 * recursively in path order. Stocks and funds by default; indices with `includeIndices` (volume
 * converted from lots to shares, noted in `notes`); B shares, bonds and other codes are skipped and
 * listed in `skippedFiles`.
 */
export async function importTdxDay(path: string, opts: TdxOptions = {}): Promise<Either<ImportError, ImportResult>> {
  const only = opts.symbol === undefined ? undefined : vendorSymbol(opts.symbol);
  if (opts.symbol !== undefined && only === undefined) {
    return left(importError('IMPORT_OPTIONS_INVALID', path, 0, `symbol option ${JSON.stringify(opts.symbol)} is not a code like 600000.SH or sh.600000.`));
  }
  const files = await listImportFiles(path, ['.day']);
  if (files._tag === 'Left') return files;
  const c = new ImportCollector(opts.strict === true);
  let indexFiles = 0, otherFiles = 0;
  for (const file of files.right) {
    const symbol = tdxSymbolOf(file);
    if (symbol === undefined) {
      if (!c.problem(file, 0, 'file name is not <sh|sz|bj><6-digit code>.day; cannot tell the security')) break;
      continue;
    }
    if (only !== undefined && symbol !== only) { otherFiles++; continue; }
    const kind = tdxKindOf(symbol);
    if (kind === 'other' || (kind === 'index' && opts.includeIndices !== true)) {
      c.skippedFiles.push({ file, reason: kind === 'index' ? `${symbol} is an index (not tradable; use includeIndices)` : `${symbol} is not an A-share stock, fund or index` });
      continue;
    }
    let buf: Buffer;
    try {
      buf = await readFile(file);
      if (isGzipPath(file)) buf = gunzipSync(buf);
    } catch (e) {
      if (!c.problem(file, 0, `cannot be read (${(e as Error).message})`)) break;
      continue;
    }
    let go = true;
    const bars = decodeTdxDay(buf, symbol, kind, (rec, msg) => (go = c.problem(file, rec, msg)));
    if (!go) break;
    c.addRows(file, bars);
    c.files++;
    if (kind === 'index') indexFiles++;
  }
  const skippedIdx = c.skippedFiles.filter((s) => s.reason.includes('is an index')).length;
  if (skippedIdx > 0) c.notes.push(`${skippedIdx} index file(s) skipped (indices are not tradable; includeIndices imports them).`);
  if (otherFiles > 0) c.notes.push(`${otherFiles} file(s) of other codes left out (symbol option ${only}).`);
  if (indexFiles > 0) c.notes.push(`${indexFiles} index file(s): TDX volume in lots converted to shares (× 100).`);
  return c.result();
}

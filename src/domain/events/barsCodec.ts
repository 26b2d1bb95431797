import type { DayBars } from '../bars.js';
import { symbolKey, symbolOfKey } from '../symbol.js';

/*
 * The stored form of `BarsClosed` from schema version 2 on: one day's columnar bars packed into
 * variable-length integers and carried as one base64 string, `{day, count, packed}`. In memory every
 * version is the columnar `DayBars`; only the journal's rows (and exports, which carry rows as
 * stored) hold the packed form, and the hash chain covers it as stored. A full-market day of 5,000
 * bars is about 120 KB of packed text instead of 300 KB of number arrays, and hashing, storing,
 * verifying and parsing it are cheaper in proportion.
 *
 * Layout (after a format byte, 1): the bar count, then column by column —
 *   symbol keys (code × 4 + exchange, SH 0 / SZ 1 / BJ 2) as signed deltas from the previous key;
 *   close; open, high and low as signed differences from close; preClose as 0 (unknown) or 1 + its
 *   signed difference from close; volume; amount; then the count of ST bars and their indexes as
 *   deltas. Unsigned LEB128 varints, signed ones zigzagged; every value a safe integer.
 */

/** `BarsClosed` data as stored from schema version 2. */
export interface PackedBars {
  readonly day: string;
  readonly count: number;
  readonly packed: string;
}

const FORMAT = 1;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What decodeEvent says of bars that do not match the schema, packed or not. */
export const SCHEMA_MISMATCH = 'BarsClosed data does not match its schema';

// Names recur every day: a key's name is made once (bounded: cleared past the size of any market).
const CACHE_LIMIT = 50_000;
const nameOfKey = new Map<number, string>();

function symbolOf(key: number): string | null {
  let s: string | null | undefined = nameOfKey.get(key);
  if (s !== undefined) return s;
  s = symbolOfKey(key);
  if (s === null) return null;
  if (nameOfKey.size >= CACHE_LIMIT) nameOfKey.clear();
  nameOfKey.set(key, s);
  return s;
}

const zig = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);
const unzig = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

class Writer {
  buf: Uint8Array;
  pos = 0;
  constructor(size: number) { this.buf = new Uint8Array(size); }
  u(v: number): void {
    if (this.pos + 8 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2 + 16);
      next.set(this.buf);
      this.buf = next;
    }
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) {
      while (v > 0x7f) {
        this.buf[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[this.pos++] = v;
      return;
    }
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot pack ${v}`);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }
  s(v: number): void { this.u(zig(v)); }
}

/** Packs one day's columnar bars (the writer's side of schema version 2). */
export function packBars(d: DayBars): PackedBars {
  const n = d.symbols.length;
  for (const c of [d.open, d.high, d.low, d.close, d.volume, d.amountFen, d.preClose, d.isSt]) {
    if (!Array.isArray(c) || c.length !== n) throw new RangeError(`cannot pack bars whose columns are not all ${n} long`);
  }
  const w = new Writer(n * 24 + 16);
  w.u(FORMAT);
  w.u(n);
  let prev = 0;
  for (const s of d.symbols) {
    const key = symbolKey(s);
    if (key < 0) throw new RangeError(`cannot pack symbol ${s}`);
    w.s(key - prev);
    prev = key;
  }
  const { close } = d;
  for (let i = 0; i < n; i++) w.u(close[i]!);
  for (let i = 0; i < n; i++) w.s(d.open[i]! - close[i]!);
  for (let i = 0; i < n; i++) w.s(d.high[i]! - close[i]!);
  for (let i = 0; i < n; i++) w.s(d.low[i]! - close[i]!);
  for (let i = 0; i < n; i++) {
    const pc = d.preClose[i]!;
    w.u(pc === null ? 0 : zig(pc - close[i]!) + 1);
  }
  for (let i = 0; i < n; i++) w.u(d.volume[i]!);
  for (let i = 0; i < n; i++) w.u(d.amountFen[i]!);
  let st = 0;
  for (let i = 0; i < n; i++) {
    const x = d.isSt[i];
    if (x !== 0 && x !== 1) throw new RangeError(`cannot pack isSt ${String(x)}`);
    st += x;
  }
  w.u(st);
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (d.isSt[i] === 1) {
      w.u(i - last);
      last = i;
    }
  }
  return { day: d.day, count: n, packed: Buffer.from(w.buf.buffer, w.buf.byteOffset, w.pos).toString('base64') };
}

/**
 * Every varint of a packed day in one pass (the format is nothing but varints), or the reason it
 * cannot be read: one tight loop instead of a call per number.
 */
function readVarints(b: Uint8Array): Float64Array | string {
  const out = new Float64Array(b.length);
  let m = 0;
  let v = 0;
  let mul = 1;
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x < 0x80) {
      v += x * mul;
      if (v > Number.MAX_SAFE_INTEGER) return 'a packed number is out of range';
      out[m++] = v;
      v = 0;
      mul = 1;
    } else {
      v += (x & 0x7f) * mul;
      mul *= 128;
      if (mul >= 2 ** 56) return 'a packed number is longer than 8 bytes';
    }
  }
  if (mul !== 1) return 'the packed bars end mid-number';
  return out.subarray(0, m);
}

const isPacked = (d: unknown): d is PackedBars => {
  if (typeof d !== 'object' || d === null) return false;
  const p = d as Record<string, unknown>;
  return Object.keys(p).length === 3 && typeof p.day === 'string' && Number.isSafeInteger(p.count)
    && typeof p.packed === 'string';
};

/**
 * Unpacks stored schema-version-2 data into columnar bars that match the `BarsClosed` schema, or
 * says why it cannot: well-formed codes, aligned columns, safe integers and ST flags follow from
 * the format; the day and the prices' signs are checked here, so a reader needs no second pass.
 */
export function unpackBars(d: unknown): { ok: true; bars: DayBars } | { ok: false; message: string } {
  if (!isPacked(d)) return { ok: false, message: 'BarsClosed v2 data must be {day, count, packed}' };
  // Canonical base64 or nothing: decoding is lenient, so the bytes must encode back to the same text.
  const bytes = Buffer.from(d.packed, 'base64');
  if (bytes.toString('base64') !== d.packed) return { ok: false, message: 'BarsClosed v2 packed bars are not base64' };
  const vals = readVarints(bytes);
  if (typeof vals === 'string') return { ok: false, message: `BarsClosed v2 ${vals}` };
  const fail = (why: string) => ({ ok: false as const, message: `BarsClosed v2 ${why}` });
  if (vals.length < 2 || vals[0] !== FORMAT) return fail(vals.length < 2 ? 'packed bars end mid-number' : 'packed bars have an unknown format');
  const n = vals[1]!;
  if (n !== d.count) return fail(`holds ${n} bars but says count ${d.count}`);
  if (vals.length < 3 + 8 * n) return fail('packed bars end mid-number');
  const sz = (z: number) => (z <= 0x7fffffff ? (z >>> 1) ^ -(z & 1) : unzig(z));
  // Arrays grown by push stay packed (new Array(n) makes holey ones, slower in every later loop).
  const symbols: string[] = [];
  let key = 0;
  let at = 2;
  for (let i = 0; i < n; i++) {
    key += sz(vals[at++]!);
    const s = symbolOf(key);
    if (s === null) return fail(`bar ${i} has no valid symbol`);
    symbols.push(s);
  }
  // Prices must come out positive safe integers (the schema's); everything else the format guarantees.
  let badPrice = !DAY.test(d.day);
  const price = (v: number): number => {
    if (!(v > 0) || v > Number.MAX_SAFE_INTEGER) badPrice = true;
    return v;
  };
  const close: number[] = [];
  for (let i = 0; i < n; i++) close.push(price(vals[at++]!));
  const open: number[] = [];
  for (let i = 0; i < n; i++) open.push(price(close[i]! + sz(vals[at++]!)));
  const high: number[] = [];
  for (let i = 0; i < n; i++) high.push(price(close[i]! + sz(vals[at++]!)));
  const low: number[] = [];
  for (let i = 0; i < n; i++) low.push(price(close[i]! + sz(vals[at++]!)));
  const preClose: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const z = vals[at++]!;
    preClose.push(z === 0 ? null : price(close[i]! + unzig(z - 1)));
  }
  if (badPrice) return { ok: false, message: SCHEMA_MISMATCH };
  const volume: number[] = [];
  for (let i = 0; i < n; i++) volume.push(vals[at++]!);
  const amountFen: number[] = [];
  for (let i = 0; i < n; i++) amountFen.push(vals[at++]!);
  const isSt: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) isSt.push(0);
  const st = vals[at++]!;
  if (vals.length !== at + st) return fail(vals.length < at + st ? 'packed bars end mid-number' : 'packed bars have trailing bytes');
  let idx = 0;
  for (let k = 0; k < st; k++) {
    idx += vals[at++]!;
    if (idx >= n || (k > 0 && isSt[idx] === 1)) return fail('has an ST index out of order');
    isSt[idx] = 1;
  }
  return {
    ok: true,
    bars: { day: d.day, symbols, open, high, low, close, volume, amountFen, preClose, isSt } as DayBars,
  };
}

/**
 * The form `BarsClosed` data is stored in at `schemaVersion`: version 2 packs columnar bars; data
 * already packed (a journal copied row by row) and every other version pass unchanged.
 */
export function storedBarsData(schemaVersion: number, data: unknown): unknown {
  if (schemaVersion !== 2 || isPacked(data)) return data;
  return packBars(data as DayBars);
}

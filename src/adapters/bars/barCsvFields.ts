/*
 * The bar reader's field readers: dates and symbols as integer keys read in place (from text or from
 * bytes), plain numeric fields read from bytes, and how a field that does not read is described. No
 * string per field: the reader meets ~6M rows.
 */

/** `YYYY-MM-DD` at t[s, e) as the integer yyyymmdd (ordered like the dates), or −1 for another shape. */
export function dateKey(t: string, s: number, e: number): number {
  if (e - s !== 10 || t.charCodeAt(s + 4) !== 45 || t.charCodeAt(s + 7) !== 45) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    if (i === s + 4 || i === s + 7) continue;
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** `symbolKey` of the 9 bytes at b[s…) (−1: another shape). */
export function symbolKeyAt(b: Uint8Array, s: number): number {
  if (b[s + 6] !== 46) return -1;
  let code = 0;
  for (let i = s; i < s + 6; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    code = code * 10 + c;
  }
  const x = b[s + 7], y = b[s + 8];
  const ex = x === 83 && y === 72 ? 0 : x === 83 && y === 90 ? 1 : x === 66 && y === 74 ? 2 : -1; // SH, SZ, BJ
  return ex < 0 ? -1 : code * 4 + ex;
}

/** `dateKey` of the 10 bytes at b[s…) (−1: another shape). */
export function dateKeyAt(b: Uint8Array, s: number): number {
  if (b[s + 4] !== 45 || b[s + 7] !== 45) return -1;
  let v = 0;
  for (let i = s; i < s + 10; i++) {
    if (i === s + 4 || i === s + 7) continue;
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const SCALE = [1, 10, 100, 1_000];

/** Reads plain numeric fields of a byte row one after another: `at` is the start of the next field. */
export class FieldCursor {
  at = 0;

  /**
   * The field at b[at…) (up to a comma or `end`) as plain unsigned decimal digits with at most
   * `digits` decimals and 12 whole digits, in 10^-digits units, moving `at` past the field and its
   * comma; −1 for any other text (empty, signed, more decimals: the text path decides what those mean).
   */
  units(b: Uint8Array, end: number, digits: number): number {
    let i = this.at, v = 0, c = -1;
    for (; i < end; i++) {
      c = b[i]!;
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    const whole = i - this.at;
    if (whole === 0 || whole > 12) return -1;
    let frac = 0;
    if (i < end && c === 46) {
      if (digits === 0) return -1;
      for (i++; i < end; i++) {
        c = b[i]!;
        if (c < 48 || c > 57) break;
        if (frac === digits) return -1;
        v = v * 10 + (c - 48);
        frac++;
      }
    }
    if (i < end && b[i] !== 44) return -1;
    this.at = i + 1;
    return v * SCALE[digits - frac]!;
  }
}

/** A field as quoted in a message: JSON-quoted, cut at 40 characters. */
export const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Why a decimal field did not parse: a number that is too large for the field (`1e308`, 16+ digits)
 * is out of range, one in exponent or other notation must be written as a plain decimal, and only
 * the rest is "not a number".
 */
export function unreadable(name: string, text: string): string {
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (Number.isNaN(n)) return `${name} is not a number: ${show(text)}`;
  if (!Number.isFinite(n) || Math.abs(n) >= 1e15) return `${name} is out of range (below 1e15 with at most 3 decimals): ${show(text)}`;
  return `${name} must be written as a plain decimal (e.g. 12.34): ${show(text)}`;
}

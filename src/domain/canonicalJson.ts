/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order, no whitespace, `undefined` members
 * dropped, numbers in JavaScript's shortest round-trip form. Used for every hash in the system
 * (journal entries, config, projections), so the same value always gives the same bytes.
 * Non-finite numbers, functions, Maps and class instances other than plain objects are refused
 * rather than silently turned into something else.
 */
export function canonicalJson(value: unknown, known?: CanonicalTexts): string {
  memo = known ?? null;
  try {
    return write(value);
  } catch (e) {
    // The writer keeps no path (building one per member cost more than the rest of the work):
    // a refused value is found again, with its path, only when there is one.
    if (e === REFUSED) throw new TypeError(`canonicalJson: ${refusal(value, '$') ?? `unsupported ${typeof value} at $`}`);
    throw e;
  } finally {
    memo = null;
  }
}

/**
 * Canonical texts already made, by object identity: a caller that serialises the same immutable
 * parts again and again (a projection's static maps, day after day) hands them in and each is used
 * as it is instead of being written again. The text must be canonicalJson of that very object.
 */
export interface CanonicalTexts {
  get(o: object): string | undefined;
}

let memo: CanonicalTexts | null = null;

/** Thrown by the writer at a value it refuses; canonicalJson turns it into a TypeError naming the path. */
const REFUSED = Symbol('refused');

/** No quote, backslash, control character or surrogate: JSON.stringify would only add the quotes. */
const NEEDS_NO_ESCAPE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JSON.stringify of a string; a plain one (keys, ids, hashes, codes) is quoted without the serialiser, a third faster. */
export const jsonString = (s: string): string =>
  (typeof s === 'string' && NEEDS_NO_ESCAPE.test(s) ? '"' + s + '"' : JSON.stringify(s));

function write(v: unknown): string {
  if (v === null) return 'null';
  if (memo !== null && typeof v === 'object') {
    const known = memo.get(v);
    if (known !== undefined) return known;
  }
  switch (typeof v) {
    case 'string': return jsonString(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw REFUSED;
      return v === 0 ? '0' : String(v);
    case 'object': {
      if (Array.isArray(v)) return writeArray(v);
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw REFUSED;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const x = o[k];
        if (x === undefined) continue;
        out += (first ? '' : ',') + jsonString(k) + ':' + write(x);
        first = false;
      }
      return out + '}';
    }
    default:
      throw REFUSED;
  }
}

function writeArray(a: readonly unknown[]): string {
  // Fast path for the columnar bar arrays: integers and strings need no recursion.
  let simple = true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const t = typeof x;
    if (t === 'string' || (t === 'number' && Number.isFinite(x) && !Object.is(x, -0)) || t === 'boolean' || x === null) continue;
    simple = false;
    break;
  }
  if (simple) return JSON.stringify(a);
  let out = '[';
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    out += (i ? ',' : '') + (x === undefined ? 'null' : write(x));
  }
  return out + ']';
}

/** What the writer refuses first in `v`, in its own order, with the path to it; null if nothing. */
function refusal(v: unknown, path: string): string | null {
  if (v === null || v === undefined) return null;
  if (memo !== null && typeof v === 'object' && memo.get(v) !== undefined) return null;
  switch (typeof v) {
    case 'string': case 'boolean': return null;
    case 'number': return Number.isFinite(v) ? null : `non-finite number at ${path}`;
    case 'object': {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const r = refusal(v[i], `${path}[${i}]`);
          if (r !== null) return r;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return `unsupported ${(proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object'} at ${path}`;
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o).sort()) {
        const r = refusal(o[k], `${path}.${k}`);
        if (r !== null) return r;
      }
      return null;
    }
    default:
      return `unsupported ${typeof v} at ${path}`;
  }
}

/**
 * Whether `text` is exactly `canonicalJson(JSON.parse(text))` (false for text that is not JSON).
 * A journal checks this for every stored event, so the common shape — one flat object of plain
 * strings, integers, booleans and nulls — is read in one pass without building anything
 * (`flatCanonical`); what that pass cannot decide (nesting, escapes, fractions, surrogates) is
 * parsed: when every object's own key order is already sorted, native JSON.stringify writes what
 * canonicalJson would (same key order, same string and number forms; JSON.parse yields no
 * undefined, -0 is written '0' by both, and a non-finite 1e999 is written 'null' so it cannot
 * match); anything else — integer-like keys V8 reorders, duplicate keys — takes the full writer.
 */
export function isCanonicalJsonText(text: string): boolean {
  const flat = flatCanonical(text);
  if (flat !== UNDECIDED) return flat === YES;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return false;
  }
  if (keysSorted(v) && JSON.stringify(v) === text) return true;
  try {
    return canonicalJson(v) === text;
  } catch {
    return false;
  }
}

const YES = 1, NO = 0, UNDECIDED = -1;
const QUOTE = 34, BACKSLASH = 92, COMMA = 44, COLON = 58, MINUS = 45, ZERO = 48, NINE = 57;

/**
 * One pass over a flat object `{"k":v,…}` whose keys and string values need no escape and whose
 * keys strictly ascend: YES when it is canonical (each number its own String(Number(…)) form), NO
 * when it is surely not (a repeated or unsorted key, -0, 1.50, 1e21), UNDECIDED for anything
 * outside that shape (nesting, escapes, surrogates, whitespace, text that is not JSON).
 */
function flatCanonical(t: string): number {
  const n = t.length;
  if (n < 2 || t.charCodeAt(0) !== 123 /* { */) return UNDECIDED;
  if (n === 2) return t.charCodeAt(1) === 125 ? YES : UNDECIDED;
  let i = 1, prevKey = -1, prevKeyEnd = -1;
  for (;;) {
    if (t.charCodeAt(i) !== QUOTE) return UNDECIDED;
    const keyStart = i + 1;
    const keyEnd = plainStringEnd(t, keyStart);
    if (keyEnd < 0) return UNDECIDED;
    if (prevKey >= 0 && compareRanges(t, prevKey, prevKeyEnd, keyStart, keyEnd) >= 0) return NO;
    prevKey = keyStart; prevKeyEnd = keyEnd;
    i = keyEnd + 1;
    if (t.charCodeAt(i) !== COLON) return UNDECIDED;
    i++;
    const c = t.charCodeAt(i);
    if (c === QUOTE) {
      const end = plainStringEnd(t, i + 1);
      if (end < 0) return UNDECIDED;
      i = end + 1;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const end = numberEnd(t, i);
      if (end < 0) return UNDECIDED;
      const next = t.charCodeAt(end);
      if (next !== COMMA && next !== 125) return UNDECIDED;
      // canonicalJson writes String(v) (0 for -0): an integer of at most 15 digits is its own form;
      // anything else (a fraction, an exponent, a long integer, -0) must be.
      let plain = end - i <= 15 && !(c === MINUS && t.charCodeAt(i + 1) === ZERO);
      for (let k = i; plain && k < end; k++) {
        const d = t.charCodeAt(k);
        if (d === 46 || d === 101 || d === 69) plain = false;
      }
      if (!plain) {
        const tok = t.slice(i, end);
        if (String(Number(tok)) !== tok) return NO;
      }
      i = end;
    } else if (t.startsWith('null', i)) i += 4;
    else if (t.startsWith('true', i)) i += 4;
    else if (t.startsWith('false', i)) i += 5;
    else return UNDECIDED;
    const sep = t.charCodeAt(i);
    if (sep === 125 /* } */) return i === n - 1 ? YES : UNDECIDED;
    if (sep !== COMMA) return UNDECIDED;
    i++;
  }
}

/** The end of the JSON number starting at `i` (its grammar exactly), or -1 where the text is not one. */
function numberEnd(t: string, i: number): number {
  const digit = (k: number) => { const d = t.charCodeAt(k); return d >= ZERO && d <= NINE; };
  if (t.charCodeAt(i) === MINUS) i++;
  if (t.charCodeAt(i) === ZERO) i++;
  else if (digit(i)) while (digit(i)) i++;
  else return -1;
  if (t.charCodeAt(i) === 46 /* . */) {
    if (!digit(++i)) return -1;
    while (digit(i)) i++;
  }
  const e = t.charCodeAt(i);
  if (e === 101 || e === 69) {
    const sign = t.charCodeAt(++i);
    if (sign === 43 || sign === MINUS) i++;
    if (!digit(i)) return -1;
    while (digit(i)) i++;
  }
  return i;
}

/** The index of the quote closing a string that starts at `i` and needs no escape; -1 if it needs one (or is not closed). */
function plainStringEnd(t: string, i: number): number {
  for (const n = t.length; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c < 0x20 || c === BACKSLASH || (c >= 0xd800 && c <= 0xdfff)) return -1;
  }
  return -1;
}

/** Code-unit order of t[a0,a1) and t[b0,b1), as Array.prototype.sort orders keys. */
function compareRanges(t: string, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0, lb = b1 - b0, m = la < lb ? la : lb;
  for (let k = 0; k < m; k++) {
    const d = t.charCodeAt(a0 + k) - t.charCodeAt(b0 + k);
    if (d !== 0) return d;
  }
  return la - lb;
}

function keysSorted(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && !keysSorted(x)) return false;
    }
    return true;
  }
  const o = v as Record<string, unknown>;
  let prev: string | null = null;
  for (const k in o) {
    if (prev !== null && !(prev < k)) return false;
    prev = k;
    const x = o[k];
    if (x !== null && typeof x === 'object' && !keysSorted(x)) return false;
  }
  return true;
}

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
    return write(value, '$');
  } finally {
    memo = null;
  }
}

/**
 * Canonical texts already made, by object identity: a caller that serialises the same immutable
 * parts again and again (a projection's static maps, day after day) hands them in and each is used
 * as it is instead of being written again. The text must be canonicalJson of that very object.
 */
export type CanonicalTexts = WeakMap<object, string>;

let memo: CanonicalTexts | null = null;

function write(v: unknown, path: string): string {
  if (v === null) return 'null';
  if (memo !== null && typeof v === 'object') {
    const known = memo.get(v);
    if (known !== undefined) return known;
  }
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return Object.is(v, -0) ? '0' : String(v);
    case 'object': {
      if (Array.isArray(v)) return writeArray(v, path);
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonicalJson: unsupported ${proto?.constructor?.name ?? 'object'} at ${path}`);
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + write(x, `${path}.${k}`);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof v} at ${path}`);
  }
}

function writeArray(a: readonly unknown[], path: string): string {
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
    out += (i ? ',' : '') + (x === undefined ? 'null' : write(x, `${path}[${i}]`));
  }
  return out + ']';
}

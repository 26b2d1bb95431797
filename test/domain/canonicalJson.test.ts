import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalJsonText } from '../../src/domain/canonicalJson.js';

describe('canonicalJson', () => {
  it('sorts keys recursively, in objects nested in arrays too', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('sorts by UTF-16 code units, not locale (upper case before lower case, "10" before "9")', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, '9': 4, '10': 5 })).toBe('{"10":5,"9":4,"B":2,"a":3,"b":1}');
  });

  it('gives the same bytes whatever the insertion order', () => {
    const x: Record<string, number> = {}; x.z = 1; x.a = 2;
    const y: Record<string, number> = {}; y.a = 2; y.z = 1;
    expect(canonicalJson(x)).toBe(canonicalJson(y));
  });

  it('drops undefined members of objects and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ a: undefined })).toBe('{}');
    expect(canonicalJson([1, undefined, 'x'])).toBe('[1,null,"x"]');
  });

  it('writes -0 as 0, in objects and in (fast-path) arrays', () => {
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson({ a: -0 })).toBe('{"a":0}');
    expect(canonicalJson([1, -0, 2])).toBe('[1,0,2]');
  });

  it('writes numbers in shortest round-trip form and strings JSON-escaped', () => {
    expect(canonicalJson([0.1, 1e21, 1e-7, -5])).toBe('[0.1,1e+21,1e-7,-5]');
    expect(canonicalJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
    expect(canonicalJson({ 'k"ey': true, x: false })).toBe('{"k\\"ey":true,"x":false}');
  });

  it('accepts null-prototype objects', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 2; o.a = 1;
    expect(canonicalJson(o)).toBe('{"a":1,"b":2}');
  });

  it.each([
    ['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY], ['-Infinity', Number.NEGATIVE_INFINITY],
    ['nested NaN', { a: [1, { b: Number.NaN }] }], ['NaN in an array', [1, Number.NaN]],
    ['Map', new Map([['a', 1]])], ['Set', new Set([1])], ['Date', new Date(0)], ['nested Date', { when: new Date(0) }],
    ['class instance', new (class Foo { x = 1; })()], ['function', () => 1], ['bigint', 1n], ['symbol', Symbol('s')],
    ['top-level undefined', undefined],
  ])('refuses %s', (_name, v) => {
    expect(() => canonicalJson(v)).toThrow(TypeError);
  });

  it('names the path of the refused value', () => {
    expect(() => canonicalJson({ a: [0, { b: new Date(0) }] })).toThrow(/\$\.a\[1\]\.b/);
    // the first refused in writing order (keys sorted), with what it is
    expect(() => canonicalJson({ z: NaN, a: { x: [1, Infinity] } })).toThrow('canonicalJson: non-finite number at $.a.x[1]');
    expect(() => canonicalJson({ k: new Map() })).toThrow('canonicalJson: unsupported Map at $.k');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('canonicalJson: unsupported function at $.f');
    expect(() => canonicalJson(undefined)).toThrow('canonicalJson: unsupported undefined at $');
  });

  // Invariant: canonical JSON is a fixed point of parse-then-serialise, so a stored entry read back
  // and re-serialised gives the same bytes (and so the same hash).
  it('canonicalJson(JSON.parse(canonicalJson(x))) === canonicalJson(x) for any JSON value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      const c = canonicalJson(x);
      expect(canonicalJson(JSON.parse(c))).toBe(c);
    }), { numRuns: 1000 });
  });

  // Invariant: the output is plain JSON that denotes the same value (keys reordered only).
  it('parses back to a value deep-equal to the input (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      expect(JSON.parse(canonicalJson(x))).toEqual(JSON.parse(JSON.stringify(x)));
    }), { numRuns: 500 });
  });

  it('uses a known text for exactly the object it was given for, and only during that call', () => {
    const part = Object.freeze([['a', 1], ['b', 2]]);
    const twin = [['a', 1], ['b', 2]];
    const known = new WeakMap<object, string>([[part, canonicalJson(part)]]);
    // A wrong text proves which path was taken (the real caller only ever hands in true texts).
    const marked = new WeakMap<object, string>([[part, '"KNOWN"']]);
    expect(canonicalJson({ x: part, y: twin }, marked)).toBe('{"x":"KNOWN","y":[["a",1],["b",2]]}');
    expect(canonicalJson({ x: part }, known)).toBe(canonicalJson({ x: part }));
    expect(canonicalJson({ x: part })).toBe('{"x":[["a",1],["b",2]]}'); // no memo outside the call
    expect(() => canonicalJson({ x: part, bad: Number.NaN }, marked)).toThrow(/non-finite/);
    expect(canonicalJson(part)).toBe('[["a",1],["b",2]]'); // a failed call leaves no memo behind
  });
});

describe('isCanonicalJsonText', () => {
  const reference = (text: string): boolean => {
    try {
      return canonicalJson(JSON.parse(text)) === text;
    } catch {
      return false;
    }
  };

  it('agrees with canonicalJson(JSON.parse(text)) === text on canonical texts and JSON.stringify texts', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const canonical = canonicalJson(v);
      expect(isCanonicalJsonText(canonical)).toBe(true);
      const plain = JSON.stringify(v);
      expect(isCanonicalJsonText(plain)).toBe(reference(plain));
    }), { numRuns: 2000 });
  });

  it('agrees with the reference on arbitrary strings, including near-JSON edits of canonical text', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.nat(), fc.string({ maxLength: 3 }), (v, at, ins) => {
      const c = canonicalJson(v);
      const i = at % (c.length + 1);
      const edited = c.slice(0, i) + ins + c.slice(i);
      expect(isCanonicalJsonText(edited)).toBe(reference(edited));
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.string(), (s) => {
      expect(isCanonicalJsonText(s)).toBe(reference(s));
    }));
  });

  it('agrees with the reference on flat objects of edge-case keys and values, in any key order and with edits (the one-pass path)', () => {
    const key = fc.oneof(fc.constantFrom('', 'a', 'b', 'ab', 'B', '0', '1', '10', '9', 'é', '\ud800', '\\', '"', 'a b'), fc.string({ maxLength: 3, unit: 'binary' }));
    const value = fc.oneof(
      fc.integer(), fc.constantFrom(0, -0, 1e15 - 1, 1e15, -1e15, 2 ** 53, 1.5, -0.000001, 1e21, 1e-7, Number.MAX_SAFE_INTEGER + 2),
      fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
      fc.string({ maxLength: 4, unit: 'binary' }), fc.constantFrom('\n', '\u001f', '\ud83d', '\ud83d\ude00', '/', '\u2028'),
    );
    const flat = fc.array(fc.tuple(key, value), { maxLength: 6 });
    fc.assert(fc.property(flat, fc.nat(), fc.constantFrom('', ' ', ',', '0', '-', '"', '}', '.5', 'e1'), (pairs, at, ins) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of pairs) o[k] = v;
      const texts = [canonicalJson(o), JSON.stringify(o), `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`];
      expect(isCanonicalJsonText(texts[0]!)).toBe(true);
      for (const t of texts) {
        expect(isCanonicalJsonText(t)).toBe(reference(t));
        const i = at % (t.length + 1);
        const edited = t.slice(0, i) + ins + t.slice(i);
        expect(isCanonicalJsonText(edited)).toBe(reference(edited));
      }
    }), { numRuns: 5000 });
  });

  it('takes the full writer where V8 reorders integer-like keys, and refuses what the fast path must not pass', () => {
    expect(isCanonicalJsonText('{"10":1,"9":2}')).toBe(true); // canonical: "10" < "9" by code unit
    expect(isCanonicalJsonText('{"9":2,"10":1}')).toBe(false);
    expect(isCanonicalJsonText('{"a":1,"a":2}')).toBe(false); // duplicate key
    expect(isCanonicalJsonText('{"b":1,"a":2}')).toBe(false);
    expect(isCanonicalJsonText('{"a":[{"d":1,"c":2}]}')).toBe(false); // unsorted keys nested in an array
    expect(isCanonicalJsonText('{"a":1e999}')).toBe(false);
    expect(isCanonicalJsonText('{"a":1.0}')).toBe(false);
    expect(isCanonicalJsonText('{"a":-0}')).toBe(false);
    expect(isCanonicalJsonText('{"a":"\\u0041"}')).toBe(false);
    expect(isCanonicalJsonText('{"__proto__":1,"a":2}')).toBe(true);
    expect(isCanonicalJsonText('{"a": 1}')).toBe(false);
    expect(isCanonicalJsonText('not json')).toBe(false);
    // the one-pass path's own verdicts
    expect(isCanonicalJsonText('{"a":01}')).toBe(false);
    expect(isCanonicalJsonText('{"a":-0.5,"b":0}')).toBe(true);
    expect(isCanonicalJsonText('{"a":1,"a":1}')).toBe(false);
    expect(isCanonicalJsonText('{"a":1,"b":2}x')).toBe(false);
    expect(isCanonicalJsonText('{"a":1,}')).toBe(false);
    expect(isCanonicalJsonText('{"a":123456789012345678}')).toBe(false); // not its own shortest form
    expect(isCanonicalJsonText('{"a":12345678901234567}')).toBe(false);
    expect(isCanonicalJsonText('{"a":100000000000000000000}')).toBe(true);
    expect(isCanonicalJsonText('{}')).toBe(true);
    expect(isCanonicalJsonText('{"":true,"a":false,"b":null}')).toBe(true);
  });
});

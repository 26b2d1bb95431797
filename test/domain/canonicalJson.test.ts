import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonicalJson.js';

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

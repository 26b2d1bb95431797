import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteIn, PersistentMap, setIn } from '../../src/domain/persistentMap.js';

// The persistent map against a plain Map as the model: every version answers like the Map it
// stands for, and no update changes an older version.
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.stringMatching(/^[0-9]{1,3}\.S[HZ]$/), value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.stringMatching(/^[0-9]{1,3}\.S[HZ]$/) }),
);

describe('PersistentMap', () => {
  it('answers like a Map after any updates, and every older version stays as it was', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      let m = PersistentMap.empty<number>();
      const model = new Map<string, number>();
      const versions: [PersistentMap<number>, Map<string, number>][] = [];
      for (const o of ops) {
        if (o.kind === 'set') { m = m.set(o.key, o.value); model.set(o.key, o.value); } else { m = m.delete(o.key); model.delete(o.key); }
        versions.push([m, new Map(model)]);
      }
      for (const [v, want] of versions) {
        expect(v.size).toBe(want.size);
        expect(new Map(v)).toEqual(want);
        for (const k of want.keys()) expect(v.get(k)).toBe(want.get(k));
        expect([...v.keys()].sort()).toEqual([...want.keys()].sort());
      }
    }));
  });

  it('iterates the same entries in the same order whatever order they were set in', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.stringMatching(/^[0-9]{6}\.S[HZ]$/), { maxLength: 300 }), (keys) => {
      const a = keys.reduce((m, k) => m.set(k, k.length), PersistentMap.empty<number>());
      const b = [...keys].reverse().reduce((m, k) => m.set(k, k.length), PersistentMap.empty<number>());
      expect([...a.keys()]).toEqual([...b.keys()]);
      expect([...PersistentMap.from(keys.map((k) => [k, k.length] as const)).keys()]).toEqual([...a.keys()]);
    }));
  });

  it('setIn and deleteIn take a plain Map as well and leave it unchanged', () => {
    const plain = new Map([['600000.SH', 1], ['000001.SZ', 2]]);
    const added = setIn(plain, '300750.SZ', 3);
    const removed = deleteIn(plain, '600000.SH');
    expect(plain.size).toBe(2);
    expect(new Map(added)).toEqual(new Map([['600000.SH', 1], ['000001.SZ', 2], ['300750.SZ', 3]]));
    expect(new Map(removed)).toEqual(new Map([['000001.SZ', 2]]));
    expect(added.set('300750.SZ', 3)).toBe(added); // setting the same value is no change
  });
});

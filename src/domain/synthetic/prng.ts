/**
 * A small seeded pseudo-random generator for synthetic data and simulations: sfc32 (Chris Doty-Humphrey's
 * "small fast chaotic" generator, PractRand-clean, 128-bit state) seeded through splitmix32, plus normal
 * variates by the Marsaglia polar method. The core never draws from the platform RNG: the same seed gives the
 * same sequence on every run, which is what makes synthetic markets and their hashes reproducible.
 */
export interface Prng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive); bounds must be safe integers with hi − lo < 2^32. */
  int(lo: number, hi: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

/** splitmix32 step: spreads a weak seed (0, 1, 2, …) over all 32 bits so nearby seeds give unrelated streams. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds a seed (any safe integer, or a string) and optional stream labels into one 32-bit word. */
export function mixSeed(seed: number | string, ...labels: (number | string)[]): number {
  let h = 0x811c9dc5; // FNV-1a over the textual form: integers and strings both hash the same way everywhere
  for (const part of [seed, ...labels]) {
    const s = `${typeof part}:${part};`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** A generator for `seed`, optionally a separate stream per label (e.g. per symbol or per purpose). */
export function createPrng(seed: number | string, ...labels: (number | string)[]): Prng {
  const st = { s: mixSeed(seed, ...labels) };
  let a = splitmix32(st), b = splitmix32(st), c = splitmix32(st), d = splitmix32(st);
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32(); // discard the first outputs, as sfc32's author recommends
  const next = (): number => nextUint32() / 4294967296;
  let spare = 0, hasSpare = false;
  return {
    nextUint32,
    next,
    int(lo: number, hi: number): number {
      const span = hi - lo + 1;
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || span < 1 || span > 4294967296) {
        throw new RangeError(`int(${lo}, ${hi}): need safe integers with 1 ≤ hi − lo + 1 ≤ 2^32`);
      }
      // Rejection removes modulo bias: draw again when the value falls in the incomplete last block.
      const limit = 4294967296 - (4294967296 % span);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return lo + (x % span);
    },
    normal(): number {
      if (hasSpare) { hasSpare = false; return spare; }
      let u = 0, v = 0, s = 0;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * f;
      hasSpare = true;
      return u * f;
    },
    chance(p: number): boolean {
      return next() < p;
    },
  };
}

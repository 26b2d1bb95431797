import { createHash, type Hash } from 'node:crypto';
import { canonicalJson, type CanonicalTexts } from '../domain/index.js';
import type { EquityCurveState } from './equityCurve.js';

/*
 * The projection hash is SHA-256 over the canonical JSON of the whole state, taken once per day by
 * replay and audit: late in a five-year run that is ~270 KB a day, most of it parts that barely
 * change — the equity curve (one point more a day) and the instruments' sectors and issued shares
 * (the same maps all run). This computes exactly the same bytes' hash without writing them again:
 *   - canonical keys sort `equity` first, so the text starts `{"equity":[p1,…,pn`: that prefix is
 *     hashed as the curve grows and the hash state copied to finish each day's hash;
 *   - the static maps' canonical texts are made once per map (by identity) and reused.
 * Nothing here changes a hash: the result is canonicalHash(canonicalProjections(s)), as before.
 */

interface EquityPrefix {
  readonly points: EquityCurveState;
  readonly texts: string[];
  readonly hash: Hash;
}

let prefix: EquityPrefix | null = null;

const pointText = (p: unknown): string => canonicalJson(p);

/**
 * The hash state after `{"equity":[p1,…,pn` for this curve. A curve that extends the last one —
 * point for point equal, by identity or else by canonical text (replay re-decides the day's point
 * as a new object with the same values) — is continued; any other is hashed from the start.
 */
function equityPrefix(points: EquityCurveState): Hash {
  const c = prefix;
  let reuse = c !== null && c.points.length <= points.length;
  if (reuse) {
    for (let i = 0; i < c!.points.length; i++) {
      if (c!.points[i] !== points[i] && c!.texts[i] !== pointText(points[i])) {
        reuse = false;
        break;
      }
    }
  }
  const texts = reuse ? c!.texts : []; // extended in place: the hash state it matches moves on with it
  const hash = reuse ? c!.hash : createHash('sha256').update('{"equity":[');
  for (let i = texts.length; i < points.length; i++) {
    const t = pointText(points[i]);
    hash.update((i > 0 ? ',' : '') + t);
    texts.push(t);
  }
  prefix = { points, texts, hash };
  return hash;
}

/**
 * SHA-256 of `{"equity":EQUITY,` followed by the rest of the canonical state (`rest`, a non-empty
 * object whose keys all sort after "equity"), with `known` canonical texts of its unchanging parts.
 */
export function hashWithEquity(equity: EquityCurveState, rest: Record<string, unknown>, known: CanonicalTexts): string {
  const h = equityPrefix(equity).copy();
  h.update('],' + canonicalJson(rest, known).slice(1));
  return h.digest('hex');
}

import * as crypto from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';

// One-shot hashing (node ≥ 20.12) is about twice as fast as a Hash object for the journal's small
// entries; older node 20 releases take the Hash object. Both give the same digest.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** Lower-case hex SHA-256 of a UTF-8 string. */
export const sha256Hex: (s: string) => string = typeof oneShot === 'function'
  ? (s) => oneShot('sha256', s, 'hex')
  : (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** SHA-256 of the canonical JSON of a value: the stable fingerprint used for config and projections. */
export const canonicalHash = (v: unknown): string => sha256Hex(canonicalJson(v));

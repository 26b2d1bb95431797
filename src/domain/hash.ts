import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';

/** Lower-case hex SHA-256 of a UTF-8 string. */
export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** SHA-256 of the canonical JSON of a value: the stable fingerprint used for config and projections. */
export const canonicalHash = (v: unknown): string => sha256Hex(canonicalJson(v));

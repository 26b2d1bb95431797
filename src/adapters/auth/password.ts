import { randomBytes } from 'node:crypto';
import { Algorithm, hashSync, verify, type Options } from '@node-rs/argon2';

/** OWASP's argon2id floor (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS: Options = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** ASVS 4.0 V2.1.1/V2.1.2 (L2): at least 12 characters, at most 128; no composition rules. */
export const PASSWORD_MIN_CHARS = 12;
export const PASSWORD_MAX_CHARS = 128;

/** Why a password is refused, or null when it meets the policy. Lengths count Unicode code points. */
export function passwordProblem(password: string): string | null {
  const n = [...password].length;
  if (n < PASSWORD_MIN_CHARS) return `the password must be at least ${PASSWORD_MIN_CHARS} characters long`;
  if (n > PASSWORD_MAX_CHARS) return `the password must be at most ${PASSWORD_MAX_CHARS} characters long`;
  return null;
}

/** An argon2id PHC string with a fresh random salt (blocks for the hash's ~50 ms; enrolment only). */
export const hashPassword = (password: string): string => hashSync(password, ARGON2_OPTIONS);

/**
 * True when `password` matches `phc`. Never throws: a damaged stored hash is simply no match. Runs
 * on the libuv pool, so a login does not stall the event loop.
 */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

let dummy: string | undefined;

/**
 * A hash of a random password that nobody knows, with the same parameters as real ones: an unknown
 * user's login is verified against it, so it costs what a known user's does. Computed once per
 * process, on first use (the users file asks for it when it opens, not during a login).
 */
export function dummyPasswordHash(): string {
  dummy ??= hashPassword(randomBytes(32).toString('base64')); // allow-nondeterminism: a secret nobody may know
  return dummy;
}

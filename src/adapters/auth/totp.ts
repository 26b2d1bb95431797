import { timingSafeEqual } from 'node:crypto';
import { generateSecret, generateSync } from 'otplib';

/*
 * RFC 6238 TOTP as authenticator apps expect it: HMAC-SHA-1, 30-second steps from the Unix epoch,
 * 6 digits. A code is HOTP(secret, step) (RFC 4226), so it is computed from the step directly.
 */

export const TOTP_PERIOD_MS = 30_000;
const DIGITS = 6;
const SIX_DIGITS = /^[0-9]{6}$/;
/** Never equal to a code (codes are digits), and of the same length, so the comparison still runs. */
const NO_CODE = Buffer.from('------');

/** The RFC 6238 time step that `nowMs` falls in. */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / TOTP_PERIOD_MS);

/** A fresh secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32 without padding. */
export const newTotpSecret = (): string => generateSecret({ length: 20 }); // allow-nondeterminism: a secret must be random

/** The code of `step` for a base32 secret. */
export const totpCodeForStep = (secret: string, step: number): string =>
  generateSync({ strategy: 'hotp', secret, counter: step, digits: DIGITS, algorithm: 'sha1' });

/**
 * The URI an authenticator app scans. The name is limited to [A-Za-z0-9._-], so it needs no
 * escaping; algorithm, digits and period are spelled out because some apps ignore the defaults.
 */
export const otpauthUri = (name: string, secret: string): string =>
  `otpauth://totp/ashare:${name}?secret=${secret}&issuer=ashare&algorithm=SHA1&digits=${DIGITS}&period=${TOTP_PERIOD_MS / 1000}`;

export interface TotpMatch {
  /** The latest step in the window whose code matched and that is after `lastStep`; null when none. */
  readonly acceptedStep: number | null;
  /** A step in the window matched but was not after `lastStep`: the code was used already (or an older one). */
  readonly replayed: boolean;
}

/**
 * Checks a typed code against the steps t-1, t and t+1 (one step of clock drift either way, RFC
 * 6238 §5.2). All three codes are always computed and compared in constant time, whatever the input
 * looks like, so the time taken says nothing about which part was wrong. A code is accepted once:
 * only a step strictly after `lastStep` counts.
 */
export function matchTotp(secret: string, typed: string, nowMs: number, lastStep: number): TotpMatch {
  const given = SIX_DIGITS.test(typed) ? Buffer.from(typed) : NO_CODE;
  const t = totpStep(nowMs);
  let acceptedStep: number | null = null;
  let replayed = false;
  for (const step of [t - 1, t, t + 1]) {
    const isMatch = timingSafeEqual(Buffer.from(totpCodeForStep(secret, step)), given);
    if (isMatch && step > lastStep) acceptedStep = step;
    else if (isMatch) replayed = true;
  }
  return { acceptedStep, replayed };
}

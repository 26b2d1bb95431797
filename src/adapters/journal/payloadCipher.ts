import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError } from '../../domain/ports/journal.js';
import { readKeyFile, type JournalKey } from './journalKey.js';

/*
 * Payload encryption at rest for journals kept on a server (PostgreSQL): each event's `data` (its
 * canonical JSON) is sealed with AES-256-GCM, so whoever administers the database sees envelopes
 * (seq, type, times, hashes) but no positions, orders or prices. The hash chain stays over the
 * plaintext canonical form, so a journal hashes the same whether or not it is encrypted.
 *
 * Sealed form: 12-byte random IV ‖ ciphertext ‖ 16-byte tag; the additional data binds it to its
 * journal and seq, so a sealed payload moved to another row does not open.
 */

/** How the 32-byte key is derived: the key file's bytes as they are, or PBKDF2 of a passphrase. */
export type KdfName = 'raw' | 'pbkdf2-sha512-256000';

/** SQLCipher 4's own parameters (see journalKey.ts), so a passphrase costs the same to guess either way. */
const PBKDF2_ITERATIONS = 256_000;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_CHECK_TEXT = 'ashare-journal-key-check-v1';

export interface PayloadCipher {
  readonly kdf: KdfName;
  seal(plain: string, aad: string): Buffer;
  /** The plaintext, or null when the tag does not verify (wrong key, or altered bytes). */
  open(sealed: Buffer, aad: string): string | null;
}

const keyError = (message: string): JournalError => ({ code: 'JOURNAL_KEY_INVALID', message });

/** The KDF a key implies; a journal records it so a passphrase is never tried as a key file or back. */
export const kdfOf = (key: JournalKey): KdfName => (key.kind === 'keyFile' ? 'raw' : 'pbkdf2-sha512-256000');

/** Derives the payload key (salt: the journal's own random salt; ignored for a raw key file). */
export function payloadCipher(key: JournalKey, salt: Buffer): Either<JournalError, PayloadCipher> {
  let bytes: Buffer;
  if (key.kind === 'keyFile') {
    const hex = readKeyFile(key.path);
    if (isLeft(hex)) return hex;
    bytes = Buffer.from(hex.right, 'hex');
  } else {
    if (key.passphrase.length === 0) return left(keyError('the journal passphrase is empty'));
    bytes = pbkdf2Sync(key.passphrase, salt, PBKDF2_ITERATIONS, 32, 'sha512');
  }
  return right(makeCipher(bytes, kdfOf(key)));
}

function makeCipher(key: Buffer, kdf: KdfName): PayloadCipher {
  return {
    kdf,
    seal(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, body, c.getAuthTag()]);
    },
    open(sealed, aad) {
      if (sealed.length < IV_BYTES + TAG_BYTES) return null;
      try {
        const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
        d.setAAD(Buffer.from(aad, 'utf8'));
        d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        return Buffer.concat([d.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

export const newSalt = (): Buffer => randomBytes(16);

/** A sealed known text, stored with the journal, so a wrong key is told at open rather than at the first read. */
export const sealKeyCheck = (c: PayloadCipher, journal: string): Buffer => c.seal(KEY_CHECK_TEXT, `key-check:${journal}`);

export const isKeyCheckOk = (c: PayloadCipher, journal: string, sealed: Buffer): boolean =>
  c.open(sealed, `key-check:${journal}`) === KEY_CHECK_TEXT;

/** The additional data that binds a sealed payload to its row. */
export const payloadAad = (journal: string, seq: number): string => `${journal}:${seq}`;

import { hkdfSync } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError } from '../../domain/ports/journal.js';
import { readKeyFile, type JournalKey } from '../journal/journalKey.js';

/**
 * A key for authenticating what sits beside a journal (operator commands), derived from the
 * journal's own key with HKDF-SHA256 under a purpose label, so the journal key itself never signs
 * anything and one purpose's key says nothing about another's. Null for a plaintext journal: the
 * channel is then protected by the directory's permissions only.
 */
export function derivedKey(key: JournalKey | undefined, purpose: string): Either<JournalError, Buffer | null> {
  if (key === undefined) return right(null);
  let ikm: Buffer;
  if (key.kind === 'keyFile') {
    const hex = readKeyFile(key.path);
    if (isLeft(hex)) return left(hex.left);
    ikm = Buffer.from(hex.right, 'hex');
  } else {
    ikm = Buffer.from(key.passphrase, 'utf8');
  }
  return right(Buffer.from(hkdfSync('sha256', ikm, Buffer.from('ashare journal-derived keys'), Buffer.from(purpose), 32)));
}

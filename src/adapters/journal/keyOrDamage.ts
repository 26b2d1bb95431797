import { isLeft } from 'fp-ts/lib/Either.js';
import type { JournalError } from '../../domain/ports/journal.js';
import { journalError } from './journalError.js';
import { anchorKey, anchorPathOf, anchorProblem, readAnchor } from './anchor.js';
import type { JournalKey } from './journalKey.js';

/**
 * Tells a wrong key from a damaged file when an encrypted journal will not open with `key`.
 * SQLCipher cannot: a damaged first page and a wrong key both fail page 1's MAC. The head anchor
 * beside the journal carries an HMAC under a key derived from the journal key, so it is a second
 * witness: if `key` verifies the anchor's MAC, the key is right and the file is damaged
 * (JOURNAL_CORRUPT); if it does not, the key is wrong — unless the anchor too was altered, which
 * the sentence says (JOURNAL_KEY_INVALID). Null when the anchor cannot tell: missing, unreadable,
 * or without a MAC (it was not written with any key).
 */
export function keyOrDamage(path: string, key: JournalKey): JournalError | null {
  const read = readAnchor(path);
  if (read.kind !== 'ok' || read.anchor.mac === null) return null;
  const k = anchorKey(key);
  if (isLeft(k) || k.right === null) return null;
  const ap = anchorPathOf(path);
  return anchorProblem(read.anchor, k.right) === null
    ? journalError('JOURNAL_CORRUPT', `cannot open journal ${path}: the file is damaged: the key is right (it verifies the head anchor ${ap}) but the journal does not open with it`)
    : journalError('JOURNAL_KEY_INVALID', `cannot open journal ${path}: the key is wrong: it does not verify the head anchor ${ap} either (unless the anchor too was altered)`);
}

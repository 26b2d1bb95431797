import { readFileSync, unlinkSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Either } from 'fp-ts/lib/Either.js';
import type { JournalError } from '../../domain/ports/journal.js';
import { writeFileAtomic } from '../fs/atomicFiles.js';
import { derivedKey, type JournalKey } from './journalKey.js';

/**
 * The journal's head, anchored outside it: `<journal>.anchor` holds `{seq, hash, at}` of the last
 * committed append, with an HMAC-SHA256 under a key derived from the journal key (HKDF, purpose
 * "journal-anchor"; a plaintext journal's anchor carries no MAC). A hash chain proves order and
 * content but not completeness — whoever can edit the file can cut its tail — so verify also checks
 * that the chain reaches the anchored head (RFC 6962's signed tree heads, KurrentDB's checkpoint
 * files). The anchor is written after the commit, so after a crash it may lag the journal, never
 * lead it.
 */
export const ANCHOR_FORMAT = 'ashare-anchor/1';

export interface Anchor {
  readonly format: typeof ANCHOR_FORMAT;
  readonly seq: number;
  readonly hash: string;
  /** Wall time of the write (ISO); never inside the journal. */
  readonly at: string;
  /** HMAC-SHA256 (hex) of format, seq, hash and at; null for a plaintext journal. */
  readonly mac: string | null;
}

export const anchorPathOf = (journalPath: string): string => `${journalPath}.anchor`;

/** The anchor's MAC key: HKDF-SHA256 of the journal key under the purpose label; null for a plaintext journal. */
export const anchorKey = (key: JournalKey | undefined): Either<JournalError, Buffer | null> => derivedKey(key, 'journal-anchor');

const macOf = (k: Buffer, a: Pick<Anchor, 'seq' | 'hash' | 'at'>): string =>
  createHmac('sha256', k).update(`${ANCHOR_FORMAT}\n${a.seq}\n${a.hash}\n${a.at}`).digest('hex');

/** The anchor text for a head (what `writeAnchor` stores, and what an export carries). */
export function anchorFor(head: { seq: number; hash: string }, macKey: Buffer | null, at: string): Anchor {
  const a = { seq: head.seq, hash: head.hash, at };
  return { format: ANCHOR_FORMAT, ...a, mac: macKey ? macOf(macKey, a) : null };
}

/**
 * Replaces the anchor whole: a temporary file beside it (0600), synced when `durable`, renamed over
 * the anchor, so a reader sees the old anchor or the new one, never half. The folder is not synced:
 * after a power cut the old anchor may come back, and an anchor that lags its journal is accepted.
 */
export function writeAnchor(journalPath: string, anchor: Anchor, durable: boolean): void {
  const path = anchorPathOf(journalPath);
  writeFileAtomic(path, `${path}.${process.pid}.tmp`, JSON.stringify(anchor) + '\n', 0o600, { durable });
}

export function removeAnchor(journalPath: string): void {
  try { unlinkSync(anchorPathOf(journalPath)); } catch { /* none */ }
}

export type AnchorRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly why: string }
  | { readonly kind: 'ok'; readonly anchor: Anchor };

/** The anchor as stored, checked for shape only (see `anchorProblem` for its MAC). */
export function readAnchor(journalPath: string): AnchorRead {
  let text: string;
  try {
    text = readFileSync(anchorPathOf(journalPath), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', why: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})` };
  }
  return parseAnchor(text);
}

export function parseAnchor(text: string): AnchorRead {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', why: 'is not JSON' };
  }
  const a = v as Partial<Anchor> | null;
  if (!a || a.format !== ANCHOR_FORMAT || !Number.isSafeInteger(a.seq) || (a.seq as number) < 0
    || typeof a.hash !== 'string' || !/^[0-9a-f]{64}$/.test(a.hash) || typeof a.at !== 'string'
    || !(a.mac === null || (typeof a.mac === 'string' && /^[0-9a-f]{64}$/.test(a.mac)))) {
    return { kind: 'unreadable', why: `is not an ${ANCHOR_FORMAT} anchor` };
  }
  return { kind: 'ok', anchor: a as Anchor };
}

/**
 * Why an anchor cannot be trusted under `macKey`, or null: an encrypted journal's anchor must carry
 * the MAC of its key (a forged or copied one does not); a plaintext journal's anchor carries none.
 */
export function anchorProblem(a: Anchor, macKey: Buffer | null): string | null {
  if (macKey === null) return a.mac === null ? null : 'carries a MAC, but the journal is not encrypted (an anchor of another journal?)';
  if (a.mac === null) return 'carries no MAC, but the journal is encrypted: it was not written with this journal\'s key';
  const want = Buffer.from(macOf(macKey, a), 'hex');
  return timingSafeEqual(want, Buffer.from(a.mac, 'hex')) ? null : 'its MAC does not match this journal\'s key: it was forged or belongs to another journal';
}

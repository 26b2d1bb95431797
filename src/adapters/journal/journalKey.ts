import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError } from '../../domain/ports/journal.js';

/**
 * How an encrypted journal (or market store) is keyed.
 * - `passphrase`: stretched by SQLCipher 4's own KDF (PBKDF2-HMAC-SHA512, 256 000 iterations,
 *   per-file random salt). As in SQLCipher, a passphrase spelled `x'<64 hex>'` would be taken as a
 *   raw key; use a key file for raw keys instead.
 * - `keyFile`: a file holding 64 hex characters (32 bytes), used as the raw AES-256 key (no KDF).
 */
export type JournalKey =
  | { readonly kind: 'passphrase'; readonly passphrase: string }
  | { readonly kind: 'keyFile'; readonly path: string };

/** Anything that runs a pragma: a better-sqlite3(-multiple-ciphers) connection. */
export interface PragmaRunner {
  pragma(source: string): unknown;
}

const RAW_KEY_RE = /^[0-9a-fA-F]{64}$/;

const keyError = (message: string): JournalError => ({ code: 'JOURNAL_KEY_INVALID', message });

const warnedOpenKeys = new Set<string>();

/** Reads and checks a key file; the error names the file but never echoes its content. A key others can read is warned about, once per file. */
export function readKeyFile(path: string): Either<JournalError, string> {
  let text: string;
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o077) !== 0 && !warnedOpenKeys.has(resolve(path))) {
      warnedOpenKeys.add(resolve(path));
      process.stderr.write(`warning: key file ${path} is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): anyone who can read it can read the journal; chmod 600 it\n`);
    }
  } catch { /* the read below reports a missing file */ }
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'an I/O error';
    return left(keyError(`cannot read key file ${path} (${code})`));
  }
  const hex = text.trim();
  if (!RAW_KEY_RE.test(hex)) {
    return left(keyError(`key file ${path} is malformed: it must hold exactly 64 hex characters (a 32-byte key)`));
  }
  return right(hex.toLowerCase());
}

/** A SQL string literal: single quotes doubled, the only escape SQL has. */
const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The pragmas that key a connection, in order. The cipher scheme is pinned to SQLCipher 4
 * (`legacy=4`: AES-256-CBC, HMAC-SHA512 per page, PBKDF2-HMAC-SHA512) so the files stay readable by
 * the stock `sqlcipher` tool, whatever SQLite3MultipleCiphers' default cipher becomes.
 */
export function cipherPragmas(key: JournalKey): Either<JournalError, readonly string[]> {
  let keyPragma: string;
  if (key.kind === 'passphrase') {
    if (key.passphrase.length === 0) return left(keyError('the journal passphrase is empty'));
    // SQLite's C API stops at NUL, so everything after one would silently not be part of the key.
    if (key.passphrase.includes('\u0000')) return left(keyError('the journal passphrase contains a NUL character'));
    keyPragma = `key=${sqlString(key.passphrase)}`;
  } else {
    const hex = readKeyFile(key.path);
    if (isLeft(hex)) return hex;
    // SQLCipher's raw-key syntax: the blob literal inside a double-quoted string.
    keyPragma = `key="x'${hex.right}'"`;
  }
  return right(["cipher='sqlcipher'", 'legacy=4', keyPragma]);
}

/** Keys a freshly opened connection; must run before anything reads the database. */
export function applyJournalKey(db: PragmaRunner, key: JournalKey): Either<JournalError, void> {
  const pragmas = cipherPragmas(key);
  if (isLeft(pragmas)) return pragmas;
  for (const p of pragmas.right) db.pragma(p);
  return right(undefined);
}

/**
 * Writes a fresh random 32-byte key as 64 hex characters to `path`, readable by the owner only
 * (mode 0600). Refuses to overwrite an existing file: losing a key loses the journals it opens.
 */
export function generateKeyFile(path: string): Either<JournalError, JournalKey> {
  try {
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600); // the mode above is filtered through the umask; make it exact
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'the file already exists' : code ?? 'an I/O error';
    return left({ code: 'JOURNAL_IO', message: `cannot write key file ${path}: ${why}` });
  }
  return right({ kind: 'keyFile', path });
}

/**
 * The key named by the environment: `ASHARE_JOURNAL_KEY_FILE` (a key file path) wins over
 * `ASHARE_JOURNAL_PASSPHRASE`; empty values count as unset. Undefined means an unencrypted journal.
 */
export function keyFromEnvironment(env: Readonly<Record<string, string | undefined>>): JournalKey | undefined {
  const file = env['ASHARE_JOURNAL_KEY_FILE'];
  if (file !== undefined && file !== '') return { kind: 'keyFile', path: file };
  const passphrase = env['ASHARE_JOURNAL_PASSPHRASE'];
  if (passphrase !== undefined && passphrase !== '') return { kind: 'passphrase', passphrase };
  return undefined;
}

/**
 * A key for authenticating what sits beside a journal (operator commands, the head anchor), derived from the
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

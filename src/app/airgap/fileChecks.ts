import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckResult } from './check.js';

/*
 * The at-rest half of the air-gap check: the files the service writes are encrypted (a SQLCipher
 * file starts with its random salt; a plaintext SQLite file with the 16 bytes "SQLite format 3\0")
 * and readable by their owner only.
 */

const PLAIN_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

export type Encryption = 'missing' | 'empty' | 'plaintext' | 'encrypted';

/** Whether the SQLite file at `path` is SQLCipher-encrypted, judged by its first 16 bytes. */
export function sqliteEncryption(path: string): Encryption {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return 'missing';
  }
  if (st.size === 0) return 'empty';
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.equals(PLAIN_HEADER) ? 'plaintext' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

export const octalMode = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** A file or directory whose mode lets its group or others in, or that must exist and does not. */
export interface ModeProblem {
  readonly path: string;
  readonly what: string;
  /** e.g. `mode 0644, want 0600`, or `does not exist`. */
  readonly why: string;
}

export interface ModeRule {
  readonly path: string;
  /** What the path is, for the sentence: `key file`, `journal directory`. */
  readonly what: string;
  /** The mode to suggest (`0600` for files, `0700` for directories); group and other bits are what fails. */
  readonly want: number;
  /** A missing path is a problem (a configured key file) rather than nothing to check. */
  readonly mustExist: boolean;
}

/** The rules that fail: any group or other permission bit is one. */
export function modeProblems(rules: readonly ModeRule[]): { problems: ModeProblem[]; checked: string[] } {
  const problems: ModeProblem[] = [];
  const checked: string[] = [];
  for (const r of rules) {
    let st: Stats;
    try {
      st = statSync(r.path);
    } catch {
      if (r.mustExist) problems.push({ path: r.path, what: r.what, why: 'does not exist' });
      continue;
    }
    checked.push(r.path);
    if ((st.mode & 0o077) !== 0) problems.push({ path: r.path, what: r.what, why: `mode ${octalMode(st.mode)}, want ${octalMode(r.want)}` });
  }
  return { problems, checked };
}

/** The files of one run the at-rest checks look at (absolute paths). */
export interface FileCheckPaths {
  readonly journalPath: string;
  readonly usersPath: string;
  readonly securityLogPath: string;
  /** The paper broker's book (the orders it was handed), when the broker is the paper one. */
  readonly brokerBookPath: string | null;
  readonly commandDir: string;
  /** Whether the service would run with a journal key (a key file or a passphrase): without one it writes every file in clear. */
  readonly keyConfigured: boolean;
  /** The journal key file, when the key is one (null: a passphrase, or no key). */
  readonly keyFile: string | null;
  /** What the key is, when there is no key file to check (`a passphrase from ASHARE_JOURNAL_PASSPHRASE`). */
  readonly keyNote: string;
}

const SET_A_KEY = 'set journal.keyFile or journal.passphraseEnv, or pass --key-file';

/**
 * Files not created yet pass only when a key is configured: the service will create them
 * encrypted. Without a key they would be written in clear, so the check fails before they exist.
 */
function encryptionCheck(name: string, files: readonly { what: string; path: string }[], keyConfigured: boolean): CheckResult {
  const seen = files.map((f) => ({ ...f, e: sqliteEncryption(f.path) }));
  const plain = seen.filter((f) => f.e === 'plaintext');
  const say = (f: (typeof seen)[number]) => `${f.what} ${f.path} ${f.e === 'missing' ? 'not created yet' : `is ${f.e}`}`;
  if (plain.length > 0) {
    return { name, ok: false, detail: `plaintext SQLite, readable by anyone who can read the file: ${plain.map((f) => `${f.what} ${f.path}`).join(', ')} — run with a journal key (journal.keyFile or --key-file)` };
  }
  if (!keyConfigured) {
    const whats = files.map((f) => f.what).join(' and ');
    return { name, ok: false, detail: `no journal key is configured: the ${whats} would be written in clear (${SET_A_KEY}); ${seen.map(say).join('; ')}` };
  }
  const pending = seen.every((f) => f.e === 'missing') ? ' (they will be created encrypted with the configured key)' : '';
  return { name, ok: true, detail: `${seen.map(say).join('; ')}${pending}` };
}

/** `journal-encrypted`, `users-encrypted` and `permissions`. */
export function fileChecks(p: FileCheckPaths): CheckResult[] {
  const journal = encryptionCheck('journal-encrypted', [
    { what: 'journal', path: p.journalPath },
    ...(p.brokerBookPath !== null ? [{ what: "paper broker's book", path: p.brokerBookPath }] : []),
  ], p.keyConfigured);
  const users = encryptionCheck('users-encrypted', [
    { what: 'users file', path: p.usersPath },
    { what: 'security log', path: p.securityLogPath },
  ], p.keyConfigured);
  const rules: ModeRule[] = [
    ...(p.keyFile !== null ? [{ path: p.keyFile, what: 'key file', want: 0o600, mustExist: true }] : []),
    { path: dirname(p.journalPath), what: 'journal directory', want: 0o700, mustExist: false },
    { path: p.commandDir, what: 'command channel', want: 0o700, mustExist: false },
    { path: p.journalPath, what: 'journal', want: 0o600, mustExist: false },
    { path: p.usersPath, what: 'users file', want: 0o600, mustExist: false },
    { path: p.securityLogPath, what: 'security log', want: 0o600, mustExist: false },
    ...(p.brokerBookPath !== null ? [{ path: p.brokerBookPath, what: "paper broker's book", want: 0o600, mustExist: false }] : []),
  ];
  return [journal, users, permissionsCheck(p, rules)];
}

function permissionsCheck(p: FileCheckPaths, rules: readonly ModeRule[]): CheckResult {
  const name = 'permissions';
  const { problems, checked } = modeProblems(rules);
  const notYet = rules.filter((r) => !r.mustExist && !checked.includes(r.path)).map((r) => r.path);
  const pending = notYet.length > 0 ? `; not created yet: ${notYet.join(', ')}` : '';
  const key = p.keyFile !== null ? '' : `; ${p.keyNote}`;
  const loose = problems.map((x) => `${x.path} (${x.what}, ${x.why})`).join('; ');
  if (!p.keyConfigured) {
    // Modes alone guard nothing once a file is copied off the machine; and there is no key file to hold at 0600.
    return { name, ok: false, detail: `no journal key is configured: there is no key file to keep owner-only and the files would be in clear whatever their modes (${SET_A_KEY})${problems.length > 0 ? `; group or others can get in: ${loose}` : ''}` };
  }
  if (problems.length > 0) return { name, ok: false, detail: `group or others can get in: ${loose} — chmod them (or set the service's umask to 077)${key}` };
  return { name, ok: true, detail: `owner only: ${checked.length > 0 ? checked.join(', ') : 'nothing to check yet'}${pending}${key}` };
}

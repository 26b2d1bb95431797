import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { JournalKey } from '../../adapters/journal/index.js';
import { keyFromEnvironment } from '../../adapters/journal/index.js';
import type { LoadedConfig } from '../config/index.js';
import { AppError, EXIT } from '../errors.js';

/** The package root (where config/ and package.json live), wherever the CLI is started from. */
export const packageRoot = (): string => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, d = dirname(d)) {
    try {
      if (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name === 'ashare') return d;
    } catch { /* keep climbing */ }
  }
  throw new AppError('INSTALL_BROKEN', 'cannot find the ashare package root', EXIT.internal);
};

export const codeVersion = (): string => {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return `ashare@${pkg.version}`;
};

export type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** Parses flags strictly: an unknown flag or a missing value is a usage error (exit 2) naming it. */
export function parse<O extends Options>(argv: string[], options: O, help: string) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help.trim() + '\n');
    return null;
  }
  // `--cash -5`: a value that is a negative number is the flag's value, not another flag (the
  // command's own range check then names the flag and its range).
  const args = [...argv];
  for (let i = args.length - 2; i >= 0; i--) {
    const m = /^--([^=]+)$/.exec(args[i]!);
    if (m && options?.[m[1]!]?.type === 'string' && /^-(\d|\.\d)/.test(args[i + 1]!)) args.splice(i, 2, `${args[i]}=${args[i + 1]}`);
  }
  try {
    return parseArgs({ args, options: options as NonNullable<O>, allowPositionals: true, strict: true });
  } catch (e) {
    throw new AppError('USAGE', `${(e as Error).message.split('\n')[0]} (see --help)`, EXIT.usage);
  }
}

export const keyOptions = {
  'key-file': { type: 'string' },
} as const;

/** The journal key from `--key-file`, else ASHARE_JOURNAL_KEY_FILE / ASHARE_JOURNAL_PASSPHRASE. */
export function keyFrom(values: { 'key-file'?: string | boolean | (string | boolean)[] }): JournalKey | undefined {
  const f = values['key-file'];
  if (typeof f === 'string') return { kind: 'keyFile', path: f };
  return keyFromEnvironment(process.env);
}

/** The key a config names: a key file (relative to the config) or an environment variable holding a passphrase. */
export function keyFromConfig(l: LoadedConfig): JournalKey | undefined {
  const j = l.config.journal;
  if (j.keyFile) return { kind: 'keyFile', path: resolve(l.baseDir, j.keyFile) };
  if (j.passphraseEnv) {
    const p = process.env[j.passphraseEnv];
    if (!p) throw new AppError('JOURNAL_KEY_REQUIRED', `journal.passphraseEnv names ${j.passphraseEnv}, which is not set`, EXIT.journal);
    return { kind: 'passphrase', passphrase: p };
  }
  return undefined;
}

export const printJson = (v: unknown): void => { process.stdout.write(JSON.stringify(v, null, 2) + '\n'); };

export interface ProgressOptions {
  /** Where the line goes (stderr); shown only when it is a terminal. */
  readonly stream?: { readonly isTTY?: boolean; write(s: string): unknown };
  /** Off entirely (--json: one document on stdout, nothing else anywhere). */
  readonly quiet?: boolean;
  /** Monotonic milliseconds (tests pass their own). */
  readonly now?: () => number;
  /** Nothing is shown for a run shorter than this. */
  readonly afterMs?: number;
  /** What `units` counts, for the rate (e.g. "bars"). */
  readonly unit?: string;
}

/**
 * A one-line progress report on stderr — done/total, percent, rate and ETA — only when stderr is
 * a terminal and the work has taken more than ~2 s (short runs, logs, pipes and --json stay clean).
 */
export function progressBar(label: string, o: ProgressOptions = {}): { update(i: number, total: number, note?: string, units?: number): void; done(): void } {
  const out = o.stream ?? process.stderr;
  const on = o.quiet !== true && out.isTTY === true;
  const now = o.now ?? (() => performance.now());
  const t0 = now(), afterMs = o.afterMs ?? 2_000;
  let shown = false, lastAt = -Infinity;
  return {
    update(i, total, note = '', units) {
      if (!on) return;
      const t = now(), elapsed = t - t0;
      if (elapsed < afterMs || (t - lastAt < 200 && i + 1 < total)) return;
      lastAt = t;
      shown = true;
      const done = i + 1, pct = Math.floor((done / total) * 100);
      const w = 20, fill = Math.round((pct / 100) * w);
      const rate = units !== undefined && o.unit ? `, ${Math.round(units / (elapsed / 1000)).toLocaleString('en-US')} ${o.unit}/s` : '';
      const eta = Math.max(0, ((total - done) * elapsed) / done / 1000);
      out.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${done}/${total} (${String(pct).padStart(3)}%)${rate}, ETA ${eta < 60 ? `${eta.toFixed(0)} s` : `${Math.floor(eta / 60)} min ${Math.round(eta % 60)} s`} ${note}\x1b[K`);
    },
    done() { if (shown) out.write('\n'); },
  };
}

/** Wall-clock stamp for output file names (never inside a journal). */
export const fileStamp = (): string => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

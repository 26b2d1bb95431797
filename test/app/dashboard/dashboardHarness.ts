import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { totpCodeForStep, totpStep } from '../../../src/adapters/auth/totp.js';
import { openSqliteJournal } from '../../../src/adapters/journal/index.js';
import { CURRENT_SCHEMA_VERSION, type DomainEvent, type EventType } from '../../../src/domain/index.js';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import type { RecordedEvent } from '../../../src/app/engine/replay.js';
import { ashare, bin, repo } from '../service/serviceHarness.js';

export { ashare, repo };

/** A temporary desk: a key file, a small synthetic market as CSV and a paper config over it. */
export function makeDesk(prefix: string) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const keyFile = join(work, 'journal.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex') + '\n');
  chmodSync(keyFile, 0o600);
  const bars = join(work, 'm.csv');
  const g = ashare(work, ['market', 'generate', '--symbols', '12', '--days', '60', '--seed', '5', '--out', bars]);
  if (g.code !== 0) throw new Error(g.err);
  const config = (name: string, extra = ''): string => {
    const p = join(work, `${name}.yaml`);
    const yaml = readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
      .replace(/market:\n(  .*\n)+/, `market:\n  source: csv\n  bars: ${bars}\n  instruments: ${join(work, 'm.instruments.csv')}\n  dividends: ${join(work, 'm.dividends.csv')}\n`)
      .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`);
    writeFileSync(p, yaml + extra);
    return p;
  };
  return { work, keyFile, key: { kind: 'keyFile' as const, path: keyFile }, config };
}

/** Enrols a user; returns its TOTP secret. */
export function addUser(work: string, users: string, keyFile: string, name: string, password: string): string {
  const pw = join(work, `${name}.pw`);
  writeFileSync(pw, password + '\n', { mode: 0o600 });
  const r = ashare(work, ['user', 'add', name, '--users', users, '--password-file', pw, '--key-file', keyFile, '--json']);
  if (r.code !== 0) throw new Error(r.err);
  return (JSON.parse(r.out) as { totpSecret: string }).totpSecret;
}

/** The code of the TOTP step `offset` steps from now (a fresh step for each use: each code is accepted once). */
export const totpNow = (secret: string, offset = 0, nowMs = Date.now()): string => totpCodeForStep(secret, totpStep(nowMs) + offset);

/** A CLI process in the background with its output collected. */
export function background(cwd: string, args: readonly string[]) {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
    cwd, env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '', ASHARE_CRASH_POINT: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('close', (code, signal) => res({ code, signal })));
  return { child, done, out: () => out, err: () => err };
}

export async function waitFor<T>(what: string, f: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const t0 = Date.now();
  let last: unknown = null;
  for (;;) {
    // A journal being created or written by another process may not read yet: try again until the deadline.
    const v = await Promise.resolve().then(f).catch((e: unknown) => { last = e; return null; });
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Starts `ashare dashboard` on a free loopback port; resolves with its base URL once it listens. */
export async function startDashboard(work: string, journal: string, users: string, keyFile: string, extra: readonly string[] = []) {
  const d = background(work, ['dashboard', '--journal', journal, '--users', users, '--key-file', keyFile, '--port', '0', ...extra]);
  const url = await waitFor('the dashboard to listen', () => /listening on (http\S+)/.exec(d.out())?.[1] ?? (d.err() ? (() => { throw new Error(d.err()); })() : null), 20_000);
  return { ...d, url };
}

export async function journalEvents(path: string, key: { kind: 'keyFile'; path: string }): Promise<RecordedEvent[]> {
  if (!existsSync(path)) return [];
  const r = await readJournalFile(path, key);
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
}

type DataOfType<T extends EventType> = Extract<DomainEvent, { type: T }>['data'];

/** One event to append: its type, data and occurredAt (epoch ms). */
export const ev = <T extends EventType>(type: T, data: DataOfType<T>, at: number) => ({ type, data, at });

/** The data of a RunStarted for a small journal, with `config` as the run's config. */
export const runStartedData = (config: Record<string, unknown> = {}): DataOfType<'RunStarted'> => ({
  runId: 'run-1', mode: 'paper', config, configHash: '0'.repeat(64),
  dataSource: { kind: 'test', description: '', path: null, sha256: null }, codeVersion: 'test', initialCashFen: 100_000_000,
});

/** Appends events to a journal file (created when missing), as a service would: a small journal for one test. */
export async function appendEvents(path: string, key: { kind: 'keyFile'; path: string }, events: readonly ReturnType<typeof ev>[]): Promise<void> {
  const j = openSqliteJournal({ path, durability: 'durable', key, create: true });
  if (isLeft(j)) throw new Error(j.left.message);
  try {
    const r = await j.right.append(events.map((e) => ({
      eventId: randomUUID() as never, stream: 'test', type: e.type, schemaVersion: CURRENT_SCHEMA_VERSION[e.type],
      occurredAt: e.at, recordedAt: e.at, causationId: null, correlationId: null, data: e.data,
    })), 'any');
    if (isLeft(r)) throw new Error(r.left.message);
  } finally {
    await j.right.close();
  }
}

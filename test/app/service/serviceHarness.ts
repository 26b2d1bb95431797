import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import { openPaperLog } from '../../../src/adapters/broker/paperBrokerLog.js';

export const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const bin = join(repo, 'bin', 'ashare.js');

export interface Exit { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

const cleanEnv = (extra: Record<string, string> = {}) => ({ ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '', ASHARE_CRASH_POINT: '', ...extra });

/** The compiled CLI as a child process, to its end. */
export function ashare(cwd: string, args: readonly string[], env: Record<string, string> = {}): Exit {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: cleanEnv(env), timeout: 120_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** The compiled CLI started in the background; `done` resolves when it exits. */
export function startAshare(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  const done = new Promise<Exit>((res) => child.on('close', (code, signal) => res({ code, signal, out, err })));
  return { child, done };
}

/** Every order the paper broker was handed, in order (duplicates included), read from its own file. */
export function paperBrokerReceipts(path: string, keyFile: string): string[] {
  const log = openPaperLog(path, { kind: 'keyFile', path: keyFile });
  if (isLeft(log)) throw new Error(log.left.message);
  try {
    return log.right.entries().flatMap((e) => (e.kind === 'submit' ? [e.order.clientOrderId] : []));
  } finally {
    log.right.close();
  }
}

/**
 * An alerts.exec hook for tests: a node script appending each alert it is handed on stdin to
 * `<dir>/alerts.jsonl`. Returns the command for `alerts.exec` and a reader of what it heard.
 */
export function alertHook(dir: string): { exec: string[]; heard(): Record<string, unknown>[] } {
  const out = join(dir, 'alerts.jsonl');
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, [
    "import { appendFileSync } from 'node:fs';",
    "let s = ''; process.stdin.setEncoding('utf8');",
    "process.stdin.on('data', (d) => { s += d; });",
    `process.stdin.on('end', () => appendFileSync(${JSON.stringify(out)}, s));`,
  ].join('\n'));
  return {
    exec: [process.execPath, hook],
    heard: () => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : []),
  };
}

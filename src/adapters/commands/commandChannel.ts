import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomicFiles.js';
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../../domain/canonicalJson.js';
import { OperatorAction } from '../../domain/events/service.js';

/**
 * The command channel between the dashboard and a running `ashare run`: the dashboard is never a
 * second journal writer, so an operator's action is a small file in `<journal>.commands/` (0700)
 * that the service picks up within a poll, journals (OperatorCommandReceived, then its effect) and
 * only then deletes. Each file is written whole (temporary file, fsync, rename) and carries an
 * HMAC-SHA256 under a key derived from the journal key, so only someone holding that key can ask
 * the service anything; a file that fails the check is journaled as rejected and removed.
 */

export const COMMAND_VERSION = 1;
const MAX_FILE_BYTES = 8 * 1024;
const FILE_RE = /^C-[0-9a-z]{9,12}-[0-9a-f]{12}\.json$/;

export const CommandBody = z.strictObject({
  v: z.literal(COMMAND_VERSION),
  commandId: z.string().regex(/^C-[0-9a-z]{9,12}-[0-9a-f]{12}$/),
  user: z.string().min(1).max(64),
  action: OperatorAction,
  target: z.number().int().positive().nullable(),
  why: z.string().max(500),
  /** Wall time the dashboard wrote it, ISO 8601. */
  issuedAt: z.string().min(1).max(40),
});
export type CommandBody = z.infer<typeof CommandBody>;

const CommandFile = CommandBody.extend({ mac: z.string().regex(/^[0-9a-f]{64}$/).nullable() });

export const commandDirOf = (journalPath: string): string => `${journalPath}.commands`;

const macOf = (key: Buffer, body: CommandBody): string => createHmac('sha256', key).update(canonicalJson(body)).digest('hex');

/** A command id that sorts by issue time (base-36 ms) and cannot be guessed. */
export function newCommandId(nowMs: number): string {
  return `C-${nowMs.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}

/** Writes one command atomically; returns its id. Throws on I/O errors (the caller answers 503). */
export function writeCommand(journalPath: string, key: Buffer | null, c: Omit<CommandBody, 'v' | 'commandId'>, nowMs: number): string {
  const dir = commandDirOf(journalPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const body: CommandBody = { v: COMMAND_VERSION, commandId: newCommandId(nowMs), ...c };
  const file = { ...body, mac: key ? macOf(key, body) : null };
  const final = join(dir, `${body.commandId}.json`);
  const tmp = join(dir, `.${body.commandId}.tmp`);
  writeFileAtomic(final, tmp, JSON.stringify(file) + '\n', 0o600, { exclusive: true });
  try {
    const dfd = openSync(dir, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch { /* a directory fsync is not possible everywhere; the rename is still atomic */ }
  return body.commandId;
}

export type PendingCommand =
  | { readonly ok: true; readonly file: string; readonly command: CommandBody }
  | { readonly ok: false; readonly file: string; readonly commandId: string; readonly reason: string };

/** The commands waiting in the channel, oldest first; each either valid and authentic or with the reason it is not. */
export function pendingCommands(journalPath: string, key: Buffer | null): PendingCommand[] {
  const dir = commandDirOf(journalPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: PendingCommand[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    const commandId = name.slice(0, -5).slice(0, 64);
    if (!FILE_RE.test(name)) { out.push({ ok: false, file, commandId, reason: `${name} is not a command file name` }); continue; }
    let text: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) { out.push({ ok: false, file, commandId, reason: `${name} is larger than ${MAX_FILE_BYTES} bytes` }); continue; }
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out.push({ ok: false, file, commandId, reason: `${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})` });
      continue;
    }
    let raw: unknown;
    try { raw = JSON.parse(text); } catch { out.push({ ok: false, file, commandId, reason: `${name} is not JSON` }); continue; }
    const p = CommandFile.safeParse(raw);
    if (!p.success) {
      const i = p.error.issues[0]!;
      out.push({ ok: false, file, commandId, reason: `${name}: ${i.path.join('.') || '(root)'}: ${i.message}` });
      continue;
    }
    const { mac, ...body } = p.data;
    if (body.commandId !== commandId) { out.push({ ok: false, file, commandId, reason: `${name} names another command id` }); continue; }
    if (key) {
      const want = Buffer.from(macOf(key, body), 'hex');
      if (mac === null || !timingSafeEqual(want, Buffer.from(mac, 'hex'))) {
        out.push({ ok: false, file, commandId, reason: `${name} is not signed with this journal's key` });
        continue;
      }
    }
    out.push({ ok: true, file, command: body });
  }
  return out;
}

/** Removes a command file once its outcome is journaled (already gone: fine). */
export function removeCommand(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Heartbeat, PendingCommand } from '../../../src/adapters/commands/index.js';
import {
  commandDirOf, derivedKey, heartbeatPathOf, pendingCommands, readHeartbeat, removeCommand, writeCommand, writeHeartbeat,
} from '../../../src/adapters/commands/index.js';

// The operators' command channel beside a journal: what the dashboard writes the service reads back
// only when it is whole, well formed and signed with the key derived from the journal's; anything
// else is reported with a reason naming its file (the service journals it as rejected).
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function journalPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'command-channel-'));
  dirs.push(d);
  return join(d, 'run.sqlite');
}
const KEY = randomBytes(32);
const cmd = (over: Partial<{ user: string; action: 'kill-switch-engage' | 'kill-switch-release' | 'alert-ack' | 'reconciliation-ack'; target: number | null; why: string }> = {}) => ({
  user: 'alice', action: 'kill-switch-engage' as const, target: null, why: 'test', issuedAt: '2026-03-02T01:30:00.000Z', ...over,
});
const fileOf = (journal: string, id: string) => join(commandDirOf(journal), `${id}.json`);
const rejected = (p: PendingCommand | undefined): Extract<PendingCommand, { ok: false }> => {
  if (!p || p.ok) throw new Error(`expected a rejected command, got ${JSON.stringify(p)}`);
  return p;
};
function right<E, A>(e: Either<E, A>): A {
  if (isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
}

describe('command channel', () => {
  it('reads back a written command, valid and authentic, from a 0600 file in a 0700 directory', () => {
    const j = journalPath();
    const id = writeCommand(j, KEY, cmd({ action: 'alert-ack', target: 42, why: 'seen' }), Date.UTC(2026, 2, 2));
    expect(id).toMatch(/^C-[0-9a-z]{9,12}-[0-9a-f]{12}$/);
    const p = pendingCommands(j, KEY);
    expect(p).toEqual([{
      ok: true, file: fileOf(j, id),
      command: { v: 1, commandId: id, user: 'alice', action: 'alert-ack', target: 42, why: 'seen', issuedAt: '2026-03-02T01:30:00.000Z' },
    }]);
    expect(statSync(fileOf(j, id)).mode & 0o777).toBe(0o600);
    expect(statSync(commandDirOf(j)).mode & 0o777).toBe(0o700);
    expect(readdirSync(commandDirOf(j))).toEqual([`${id}.json`]); // no temporary file left behind
  });

  it('tightens a directory someone left open to 0700', () => {
    const j = journalPath();
    mkdirSync(commandDirOf(j), { mode: 0o755 });
    writeCommand(j, KEY, cmd(), 1_000);
    expect(statSync(commandDirOf(j)).mode & 0o777).toBe(0o700);
  });

  it('reports a command whose bytes were altered as not signed, naming the file', () => {
    const j = journalPath();
    const id = writeCommand(j, KEY, cmd({ action: 'kill-switch-release', user: 'bob' }), 1_000);
    const f = fileOf(j, id);
    const text = readFileSync(f, 'utf8');
    writeFileSync(f, text.replace('"user":"bob"', '"user":"eve"'));
    expect(readFileSync(f, 'utf8')).not.toBe(text);
    const r = rejected(pendingCommands(j, KEY)[0]);
    expect(r).toMatchObject({ file: f, commandId: id });
    expect(r.reason).toContain(basename(f));
    expect(r.reason).toMatch(/not signed with this journal's key/);
  });

  it('reports a command signed with another key, and an unsigned one, when the journal has a key', () => {
    const j = journalPath();
    const other = writeCommand(j, randomBytes(32), cmd(), 1_000);
    const unsigned = writeCommand(j, null, cmd(), 2_000);
    const [a, b] = pendingCommands(j, KEY);
    expect(rejected(a)).toMatchObject({ commandId: other });
    expect(rejected(a).reason).toContain(`${other}.json`);
    expect(rejected(a).reason).toMatch(/not signed/);
    expect(rejected(b)).toMatchObject({ commandId: unsigned });
    expect(rejected(b).reason).toMatch(/not signed/);
  });

  it('reports a file whose name is another command id than the one it holds', () => {
    const j = journalPath();
    const a = writeCommand(j, KEY, cmd(), 1_000);
    const b = writeCommand(j, KEY, cmd(), 2_000);
    rmSync(fileOf(j, b));
    renameSync(fileOf(j, a), fileOf(j, b)); // a's signed body under b's name
    const r = rejected(pendingCommands(j, KEY)[0]);
    expect(r).toMatchObject({ commandId: b, file: fileOf(j, b) });
    expect(r.reason).toBe(`${b}.json names another command id`);
  });

  it('reports a non-JSON file, an oversized file, an unknown action and a file name that is no command\'s, each naming the file', () => {
    const j = journalPath();
    const dir = commandDirOf(j);
    const garbled = writeCommand(j, KEY, cmd(), 1_000);
    writeFileSync(fileOf(j, garbled), '{"v":1,"commandId":');
    const big = writeCommand(j, KEY, cmd(), 2_000);
    writeFileSync(fileOf(j, big), JSON.stringify({ ...cmd(), why: 'x'.repeat(9000) }));
    const unknown = writeCommand(j, KEY, cmd(), 3_000);
    const body = JSON.parse(readFileSync(fileOf(j, unknown), 'utf8')) as Record<string, unknown>;
    writeFileSync(fileOf(j, unknown), JSON.stringify({ ...body, action: 'format-disk' }));
    writeFileSync(join(dir, 'notes.json'), '{}');
    const byId = new Map(pendingCommands(j, KEY).map((p) => [rejected(p).commandId, rejected(p)]));
    expect(byId.size).toBe(4);
    expect(byId.get(garbled)!.reason).toBe(`${garbled}.json is not JSON`);
    expect(byId.get(big)!.reason).toBe(`${big}.json is larger than 8192 bytes`);
    expect(byId.get(unknown)!.reason).toMatch(new RegExp(`^${unknown}\\.json: action: `));
    expect(byId.get('notes')!.reason).toBe('notes.json is not a command file name');
  });

  it('with a null key (a plaintext journal) reads commands without a MAC', () => {
    const j = journalPath();
    const id = writeCommand(j, null, cmd(), 1_000);
    expect(JSON.parse(readFileSync(fileOf(j, id), 'utf8'))).toMatchObject({ mac: null });
    const [p] = pendingCommands(j, null);
    expect(p).toMatchObject({ ok: true, command: { commandId: id, user: 'alice' } });
    // A signed command is read as well: without a key there is nothing to check it against.
    const signed = writeCommand(j, KEY, cmd(), 2_000);
    expect(pendingCommands(j, null).map((x) => x.ok && x.command.commandId)).toEqual([id, signed]);
  });

  it('lists oldest first whatever order the files were written in; nothing when the directory is missing', () => {
    const j = journalPath();
    expect(pendingCommands(j, KEY)).toEqual([]);
    const late = writeCommand(j, KEY, cmd({ user: 'late' }), 1_700_000_000_000);
    const early = writeCommand(j, KEY, cmd({ user: 'early' }), 1_600_000_000_000);
    const middle = writeCommand(j, KEY, cmd({ user: 'middle' }), 1_650_000_000_000);
    writeFileSync(join(commandDirOf(j), `.${late}.tmp`), 'half written'); // a write in progress is not a command yet
    const ids = pendingCommands(j, KEY).map((p) => (p.ok ? p.command.commandId : p.commandId));
    expect(ids).toEqual([early, middle, late]);
  });

  it('removeCommand deletes the file and does not mind one already gone', () => {
    const j = journalPath();
    const id = writeCommand(j, KEY, cmd(), 1_000);
    removeCommand(fileOf(j, id));
    expect(pendingCommands(j, KEY)).toEqual([]);
    expect(() => removeCommand(fileOf(j, id))).not.toThrow();
    expect(() => removeCommand(join(commandDirOf(j), 'never-there.json'))).not.toThrow();
  });
});

describe('heartbeat file', () => {
  const beat: Heartbeat = { pid: 4242, at: '2026-03-02T01:30:00.000Z', clock: '2022-03-02T01:30:00.000Z', lastSeq: 17, day: '2022-03-02', step: 'release' };

  it('reads back what was written (0600), the latest beat winning', () => {
    const j = journalPath();
    expect(readHeartbeat(j)).toBeNull();
    writeHeartbeat(j, beat);
    expect(readHeartbeat(j)).toEqual(beat);
    expect(statSync(heartbeatPathOf(j)).mode & 0o777).toBe(0o600);
    const next = { ...beat, at: '2026-03-02T01:30:05.000Z', lastSeq: 18, day: null, step: null };
    writeHeartbeat(j, next);
    expect(readHeartbeat(j)).toEqual(next);
  });

  it('reads a garbled or misshapen file as null', () => {
    const j = journalPath();
    writeFileSync(heartbeatPathOf(j), '{"pid":4242,"at":');
    expect(readHeartbeat(j)).toBeNull();
    writeFileSync(heartbeatPathOf(j), JSON.stringify({ ...beat, pid: -1 }));
    expect(readHeartbeat(j)).toBeNull();
    writeFileSync(heartbeatPathOf(j), JSON.stringify({ ...beat, extra: true }));
    expect(readHeartbeat(j)).toBeNull();
  });
});

describe('derivedKey', () => {
  const keyFile = (hex: string) => {
    const d = mkdtempSync(join(tmpdir(), 'derived-key-'));
    dirs.push(d);
    const p = join(d, 'journal.key');
    writeFileSync(p, `${hex}\n`, { mode: 0o600 });
    return { kind: 'keyFile' as const, path: p };
  };

  it('derives the same key from the same journal key (wherever its file is), another for another purpose or key', () => {
    const hex = randomBytes(32).toString('hex');
    const a = right(derivedKey(keyFile(hex), 'command-channel v1'));
    const b = right(derivedKey(keyFile(hex.toUpperCase()), 'command-channel v1'));
    expect(a).toBeInstanceOf(Buffer);
    expect(a!.length).toBe(32);
    expect(b!.equals(a!)).toBe(true);
    expect(right(derivedKey(keyFile(hex), 'something else v1'))!.equals(a!)).toBe(false);
    expect(right(derivedKey(keyFile(randomBytes(32).toString('hex')), 'command-channel v1'))!.equals(a!)).toBe(false);
    expect(a!.equals(Buffer.from(hex, 'hex'))).toBe(false); // never the journal key itself
  });

  it('works from a passphrase; null without a key; an error naming a malformed key file', () => {
    const p1 = right(derivedKey({ kind: 'passphrase', passphrase: 'correct horse' }, 'command-channel v1'));
    const p2 = right(derivedKey({ kind: 'passphrase', passphrase: 'correct horse' }, 'command-channel v1'));
    const p3 = right(derivedKey({ kind: 'passphrase', passphrase: 'correct horsf' }, 'command-channel v1'));
    expect(p1!.length).toBe(32);
    expect(p2!.equals(p1!)).toBe(true);
    expect(p3!.equals(p1!)).toBe(false);
    expect(right(derivedKey(undefined, 'command-channel v1'))).toBeNull();
    const bad = keyFile('not hex');
    const e = derivedKey(bad, 'command-channel v1');
    expect(isRight(e)).toBe(false);
    if (isLeft(e)) {
      expect(e.left.code).toBe('JOURNAL_KEY_INVALID');
      expect(e.left.message).toContain(bad.path);
    }
  });

  it('a command signed under one journal\'s derived key is not accepted under another\'s', () => {
    const j = journalPath();
    const mine = right(derivedKey(keyFile(randomBytes(32).toString('hex')), 'command-channel v1'));
    const theirs = right(derivedKey(keyFile(randomBytes(32).toString('hex')), 'command-channel v1'));
    writeCommand(j, theirs, cmd(), 1_000);
    expect(pendingCommands(j, mine)[0]!.ok).toBe(false);
    expect(pendingCommands(j, theirs)[0]!.ok).toBe(true);
  });
});

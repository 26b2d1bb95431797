import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgUnavailableReason, startPg, type PgServer } from '../../fixtures/pgServer.js';

// Issue 17: a journal on PostgreSQL selected by URL for journal verify/inspect/export, replay and
// audit; `journal copy` SQLite ⇄ PostgreSQL, verified on both sides and resumable.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const skip = pgUnavailableReason();
const RUN = randomUUID().slice(0, 8); // journal names of this run: a shared ASHARE_PG_URL server may hold earlier runs'
if (skip !== null) console.log(`PostgreSQL journal CLI tests skipped: ${skip}`);

describe.skipIf(skip !== null)('ashare with --journal postgres://… and journal copy', () => {
  let server: PgServer;
  let admin: pg.Client;
  const work = mkdtempSync(join(tmpdir(), 'ashare-pgcli-'));
  const keyFile = join(work, 'pg.key');
  const ashare = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
  let sqlite = '';
  let headHash = '';
  let events = 0;
  let password = '';

  beforeAll(async () => {
    server = startPg();
    password = new URL(server.url).password;
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    writeFileSync(keyFile, 'cd'.repeat(32) + '\n', { mode: 0o600 });
    const bt = ashare('backtest', '--config', join(repo, 'config', 'backtest.yaml'), '--json');
    expect(bt.status, bt.stderr).toBe(0);
    ({ journal: sqlite, headHash, events } = JSON.parse(bt.stdout) as { journal: string; headHash: string; events: number });
    expect(events).toBeGreaterThan(1600); // the interruption tests cut it at 500 and 1500
  });
  afterAll(async () => {
    await admin?.end();
    server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const payloadsWith = async (journal: string, text: string): Promise<number> => (await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ashare_events WHERE journal = $1 AND position(convert_to($2, 'UTF8') in data) > 0`, [journal, text])).rows[0]!.n;
  const noSecret = (r: { stdout: string; stderr: string }) => {
    if (password !== '') expect(r.stdout + r.stderr).not.toContain(password);
  };

  it('copies a backtest journal into PostgreSQL (encrypted), and verify, replay, audit and export read it there', async () => {
    const url = server.journalUrl(`cli-enc-${RUN}`);
    const copy = ashare('journal', 'copy', '--from', sqlite, '--to', url, '--to-key-file', keyFile, '--batch', '400');
    expect(copy.status, copy.stderr).toBe(0);
    expect(copy.stdout).toContain(`(head ${headHash})`);
    expect(copy.stdout).toContain(':***@');
    noSecret(copy);
    const verify = ashare('journal', 'verify', url, '--key-file', keyFile, '--json');
    expect(verify.status, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, headHash });
    noSecret(verify);
    expect(ashare('journal', 'verify', url).status).toBe(4); // encrypted: no key, no answer
    const replay = ashare('replay', '--journal', url, '--all', '--key-file', keyFile);
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('0 with differences');
    const audit = ashare('audit', '--journal', url, '--key-file', keyFile, '--json');
    expect(audit.status, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ pass: true, mismatches: 0, chain: { ok: true, headHash } });
    noSecret(audit);
    const slice = join(work, 'slice.json');
    const exp = ashare('journal', 'export', '--journal', url, '--key-file', keyFile, '--from', '2023-01-01', '--to', '2023-03-01', '--out', slice);
    expect(exp.status, exp.stderr).toBe(0);
    noSecret(exp);
    expect(ashare('journal', 'verify-export', slice).status).toBe(0);
    const report = ashare('report', '--journal', url, '--key-file', keyFile, '--out', join(work, 'pg.report'), '--json');
    expect(report.status, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ headHash });
    noSecret(report);
    // The database holds no plaintext payload: no bar's "packed" key in any stored payload (a plain copy has one in every BarsClosed).
    expect(await payloadsWith(`cli-enc-${RUN}`, '"packed"')).toBe(0);
  });

  it('resumes an interrupted copy from the destination head, and copies back to SQLite with the same hashes', async () => {
    const url = server.journalUrl(`cli-resume-${RUN}`);
    expect(ashare('journal', 'copy', '--from', sqlite, '--to', url, '--batch', '500').status).toBe(0);
    const days = (JSON.parse(ashare('journal', 'inspect', sqlite, '--json').stdout) as { types: Record<string, number> }).types['BarsClosed']!;
    expect(days).toBeGreaterThan(100);
    expect(await payloadsWith(`cli-resume-${RUN}`, '"packed"')).toBe(days); // every BarsClosed, stored packed and in clear
    // An interruption after 3 whole batches (each batch is one transaction) leaves seq 1…1500.
    await admin.query(`DELETE FROM ashare_events WHERE journal = 'cli-resume-${RUN}' AND seq > 1500`);
    await admin.query(`UPDATE ashare_journals SET head_seq = 1500, head_hash = (SELECT hash FROM ashare_events WHERE journal = 'cli-resume-${RUN}' AND seq = 1500) WHERE name = 'cli-resume-${RUN}'`);
    const again = ashare('journal', 'copy', '--from', sqlite, '--to', url, '--json');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyThere: 1500, headHash });
    const back = join(work, 'back.sqlite');
    const home = ashare('journal', 'copy', '--from', url, '--to', back, '--json');
    expect(home.status, home.stderr).toBe(0);
    expect(JSON.parse(home.stdout)).toMatchObject({ alreadyThere: 0, headHash });
    expect(ashare('journal', 'verify', back).status).toBe(0);
    // A second run has nothing left to copy.
    expect(JSON.parse(ashare('journal', 'copy', '--from', url, '--to', back, '--json').stdout)).toMatchObject({ copied: 0, headHash });
  });

  it('a copy killed with SIGKILL mid-way is continued by the next run, to the same head', async () => {
    const name = `cli-killed-${RUN}`;
    const url = server.journalUrl(name);
    const child = spawn(process.execPath, [join(repo, 'bin', 'ashare.js'), 'journal', 'copy', '--from', sqlite, '--to', url, '--batch', '50'], { cwd: work, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, sig) => r(sig)));
    let head = 0;
    while (head < 500) {
      await new Promise((r) => setTimeout(r, 10));
      head = (await admin.query<{ h: number }>('SELECT coalesce(max(head_seq), 0)::int AS h FROM ashare_journals WHERE name = $1', [name])).rows[0]!.h;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const resumed = ashare('journal', 'copy', '--from', sqlite, '--to', url, '--json');
    expect(resumed.status, resumed.stderr).toBe(0);
    const r = JSON.parse(resumed.stdout) as { alreadyThere: number; copied: number; headHash: string };
    expect(r.alreadyThere).toBeGreaterThanOrEqual(500);
    expect(r.alreadyThere % 50).toBe(0); // whole batches only
    expect(r.alreadyThere + r.copied).toBe(events);
    expect(r.headHash).toBe(headHash);
  });

  it('refuses to continue a destination that holds another journal, and names a wrong password without showing it', async () => {
    const other = server.journalUrl(`cli-other-${RUN}`);
    const cfg = join(work, 'other.yaml');
    writeFileSync(cfg, readFileSync(join(repo, 'config', 'backtest.yaml'), 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`).replace(/fast: \d+/, 'fast: 7'));
    const mk = ashare('backtest', '--config', cfg, '--json');
    expect(mk.status, mk.stderr).toBe(0);
    const j2 = (JSON.parse(mk.stdout) as { journal: string }).journal;
    expect(ashare('journal', 'copy', '--from', j2, '--to', other).status).toBe(0);
    const refused = ashare('journal', 'copy', '--from', sqlite, '--to', other);
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain('is not a copy of');
    const u = new URL(server.journalUrl(`cli-enc-${RUN}`));
    u.password = 'wrong-password-plugh';
    const bad = ashare('journal', 'verify', u.toString());
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain('refused the login');
    expect(bad.stderr).not.toContain('plugh');
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { applyJournalKey, type JournalKey } from '../../../src/adapters/journal/index.js';
import { alertHook, ashare, repo, startAshare } from './serviceHarness.js';

// The service's periodic re-verification (alerts.verifyEverySeconds) against a real `ashare run`
// (the compiled CLI, a paper broker, a simulated clock 7200 times faster than real time, so the
// service is still running while the test acts). Another connection edits the journal file under
// it, as a person with a SQLite shell would; the journal is read back row by row, not through the
// verifying reader (the edited file no longer verifies).
const work = mkdtempSync(join(tmpdir(), 'ashare-journal-watch-'));
const keyFile = join(work, 'journal.key');
writeFileSync(keyFile, '7e'.repeat(32) + '\n', { mode: 0o600 });
const KEY: JournalKey = { kind: 'keyFile', path: keyFile };
const CLOCK = 'sim:2022-03-02T08:00:00+08:00:7200';
/** How long after an edit the alert may take: one check period (1 s) and a tick, with a CI machine's margin. */
const ALERT_WITHIN_MS = 5_000;

function config(name: string, alerts: Record<string, unknown>): string {
  const p = join(work, `${name}.yaml`);
  const yaml = readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
    .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
    .replace(/pollSeconds: 60 /, 'pollSeconds: 1800')
    .replace(/^alerts:.*\n(  .*\n)*/m, '');
  writeFileSync(p, `${yaml}alerts: ${JSON.stringify(alerts)}\n`);
  return p;
}

type Run = ReturnType<typeof startAshare>;
const runs: Run[] = [];
afterAll(() => {
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Another connection to the journal file (keyed when the journal is). */
function connect(path: string, key?: JournalKey, readonly = true): Database.Database {
  const db = new Database(path, { readonly, fileMustExist: true });
  if (key) applyJournalKey(db, key);
  db.pragma('busy_timeout = 5000');
  return db;
}

interface Alert { seq: number; code: string; level: string; message: string }

/** Every AlertRaised of the journal, read as stored rows; also the head seq. */
function alertsOf(path: string, key?: JournalKey): { alerts: Alert[]; head: number } {
  if (!existsSync(path)) return { alerts: [], head: 0 };
  let db: Database.Database;
  try {
    db = connect(path, key);
  } catch {
    return { alerts: [], head: 0 }; // the service is still creating the file
  }
  try {
    const rows = db.prepare("SELECT seq, data FROM events WHERE type = 'AlertRaised' ORDER BY seq").all() as { seq: number; data: string }[];
    const head = (db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
    return { alerts: rows.map((r) => ({ seq: r.seq, ...(JSON.parse(r.data) as Omit<Alert, 'seq'>) })), head };
  } catch {
    return { alerts: [], head: 0 };
  } finally {
    db.close();
  }
}
const verifyAlerts = (path: string, key?: JournalKey) => alertsOf(path, key).alerts.filter((a) => a.code === 'JOURNAL_VERIFY');

async function waitFor<T>(run: Run, what: string, probe: () => T | undefined | null | false, ms: number): Promise<T> {
  let exited = false;
  void run.done.then(() => { exited = true; });
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (exited) throw new Error(`the service exited while waiting for ${what}: ${(await run.done).err}`);
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`);
    await sleep(25);
  }
}

describe('ashare run re-verifies its journal every alerts.verifyEverySeconds', () => {
  it('a row changed by another connection is journaled as one JOURNAL_VERIFY alert within the next ticks (alerts.exec runs for it), and only once', async () => {
    const journal = join(work, 'edited.sqlite');
    const hook = alertHook(work);
    const cfg = config('edited', { verifyEverySeconds: 1, exec: hook.exec });
    const run = startAshare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, '--clock', CLOCK]);
    runs.push(run);

    // Running and trading, with checks passing: two periods after the warm-up, nothing alerted.
    await waitFor(run, 'the warm-up', () => alertsOf(journal).head > 10, 30_000);
    await sleep(2_500);
    expect(verifyAlerts(journal)).toEqual([]);

    // The newest row's data changed in place: whether the last check reached it or not, the next one reads it.
    const db = connect(journal, undefined, false);
    let edited: number;
    try {
      edited = (db.prepare("UPDATE events SET data = json_set(data, '$.edited', 1) WHERE seq = (SELECT max(seq) FROM events) RETURNING seq").pluck().get() as number);
    } finally {
      db.close();
    }
    const t0 = Date.now();
    const [alert] = await waitFor(run, 'the JOURNAL_VERIFY alert', () => { const a = verifyAlerts(journal); return a.length > 0 ? a : null; }, ALERT_WITHIN_MS);
    expect(Date.now() - t0).toBeLessThan(ALERT_WITHIN_MS);
    expect(alert!.seq).toBeGreaterThan(edited);
    expect(alert).toMatchObject({ code: 'JOURNAL_VERIFY', level: 'critical' });
    expect(alert!.message).toContain(`the journal does not verify at seq ${edited}:`);
    expect(alert!.message).toContain('JOURNAL_HASH_MISMATCH');

    // The hook heard it, with its id.
    const hooked = await waitFor(run, 'the alerts.exec output', () => {
      return hook.heard().find((l) => l['code'] === 'JOURNAL_VERIFY');
    }, 8_000);
    expect(hooked).toEqual({ id: alert!.seq, journal, code: 'JOURNAL_VERIFY', level: 'critical', day: expect.any(String), message: alert!.message });

    // Once: more periods pass (the service appends meanwhile), and a clean stop, without a second one.
    await sleep(3_000);
    run.child.kill('SIGTERM');
    const exit = await run.done;
    expect(exit.code, exit.err).toBe(0);
    expect(verifyAlerts(journal)).toHaveLength(1);
    expect(alertsOf(journal).head).toBeGreaterThan(alert!.seq);
    // The whole-file verifier agrees, and names the same row.
    const verify = ashare(work, ['journal', 'verify', journal]);
    expect(verify.code).not.toBe(0);
    expect(verify.out + verify.err).toContain(String(edited));
  }, 90_000);

  it('a healthy run (encrypted journal, checks every second for several seconds) journals no JOURNAL_VERIFY alert', async () => {
    const journal = join(work, 'healthy.sqlite');
    const cfg = config('healthy', { verifyEverySeconds: 1 });
    const t0 = Date.now();
    const run = startAshare(work, ['run', '--config', cfg, '--key-file', keyFile, '--journal', journal, '--clock', CLOCK, '--until', '2022-03-02T15:40:00+08:00']);
    runs.push(run);
    const exit = await run.done;
    expect(exit.code, exit.err).toBe(0);
    expect(Date.now() - t0, 'the run was too short for a check to happen: the test proves nothing').toBeGreaterThan(3_000);
    const { alerts, head } = alertsOf(journal, KEY);
    expect(head).toBeGreaterThan(10);
    expect(alerts.filter((a) => a.code === 'JOURNAL_VERIFY')).toEqual([]);
    expect(exit.out + exit.err).not.toContain('JOURNAL_VERIFY');
    expect(ashare(work, ['journal', 'verify', journal, '--key-file', keyFile]).code).toBe(0);
  }, 90_000);
});

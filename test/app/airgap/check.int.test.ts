import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJournalKey } from '../../../src/adapters/journal/journalKey.js';
import { ashare, bin, repo } from '../service/serviceHarness.js';

// ashare airgap check through the compiled CLI. Every run that touches a network runs inside a
// network namespace made for it (unshare -rn) next to the servers it is to find there: the check
// then sees none of this machine's listeners and reaches no outside network — loopback only.
const work = mkdtempSync(join(tmpdir(), 'ashare-airgap-check-'));
const fixture = join(repo, 'test', 'fixtures', 'airgapNetns.mjs');
const INSIDE = '2024-03-05T10:00:00+08:00'; // a Tuesday, a trading day
const EVENING = '2024-03-05T18:00:00+08:00';
const SATURDAY = '2024-03-09T10:00:00+08:00';
const NATIONAL_DAY = '2024-10-01T10:00:00+08:00'; // a holiday in config/market/holidays.yaml

interface Check { name: string; ok: boolean; detail: string }
interface Target { target: string; source: string; allowed: boolean; reached: boolean; detail: string }
interface Report { ok: boolean; armed: boolean; at: string; window: string; checks: Check[]; targets: Target[] }
interface Run { code: number; out: string; err: string; counts: Record<string, number> }

const nsProblem = ((): string | null => {
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
  return r.status === 0 ? null : `network namespaces are not permitted here (unshare -rn: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})`;
})();
if (nsProblem) console.warn(`skipping the airgap check runs: ${nsProblem}`);

/** A run's directory, owner-only as the check wants it. */
const dir = (name: string, mode = 0o700): string => {
  const d = join(work, name);
  mkdirSync(d, { recursive: true });
  chmodSync(d, mode);
  return d;
};

/** The journal key of the runs that do not test the key itself (0600, written before the tests). */
const KEY_FILE = join(work, 'journal.key');

/** How a config names its journal key: a key file, a passphrase's environment variable, or none. */
type KeyConfig = { keyFile: string } | { passphraseEnv: string } | null;

/** config/paper.yaml with its journal in `journalDir`, its journal key (default KEY_FILE), and `airgap` appended (null: no section). */
function config(name: string, airgap: string | null, journalDir = join(work, name), key: KeyConfig = { keyFile: KEY_FILE }): string {
  const p = join(work, `${name}.yaml`);
  let yaml = readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
    .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
    .replace(/  dir: journal .*\n/, `  dir: ${journalDir}\n`);
  if (key !== null && 'keyFile' in key) yaml = yaml.replace('keyFile: null', `keyFile: ${key.keyFile}`);
  if (key !== null && 'passphraseEnv' in key) yaml = yaml.replace('passphraseEnv: null', `passphraseEnv: ${key.passphraseEnv}`);
  writeFileSync(p, yaml + (airgap === null ? '' : `airgap:\n${airgap}`));
  return p;
}
const airgap = (allow: string[], enabled = true) => `  enabled: ${enabled}\n  window: "09:00-15:30"\n  allow: [${allow.map((a) => JSON.stringify(a)).join(', ')}]\n`;

interface Server { name: string; kind: 'http' | 'tls'; host: string; port: number }
interface Step { args: string[]; close?: string[] }

/** The CLI runs of `steps`, in a fresh network namespace holding `servers`. */
function inNamespace(servers: Server[], steps: Step[]): Run[] {
  const spec = join(work, `spec-${Math.floor(performance.now() * 1000)}.json`);
  writeFileSync(spec, JSON.stringify({ bin, cwd: work, tls: { key: join(work, 'tls.key'), cert: join(work, 'tls.crt') }, servers, runs: steps }));
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" "${fixture}" "${spec}"`], {
    cwd: work, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' },
  });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runs: Run[] }).runs;
}
const check = (args: string[]): Step => ({ args: ['airgap', 'check', ...args] });
const report = (r: Run): Report => {
  expect(r.err).toBe('');
  return JSON.parse(r.out) as Report;
};
const named = (rep: Report, name: string): Check => {
  const c = rep.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check ${name} in ${JSON.stringify(rep.checks)}`);
  return c;
};
/** The run's exit code, with what it printed when it is not the one expected (a crash prints on stderr). */
const exits = (r: Run, code: number) => expect(r.code, r.err || r.out).toBe(code);
const failed = (rep: Report) => rep.checks.filter((c) => !c.ok).map((c) => c.name);

/** An SQLite file with one table, encrypted with the key file when one is given; owner-only. */
function sqliteFile(path: string, keyFile?: string): void {
  const db = new Database(path);
  if (keyFile) applyJournalKey(db, { kind: 'keyFile', path: keyFile });
  db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
  db.close();
  chmodSync(path, 0o600);
}
const keyFile = (path: string, mode: number): string => {
  writeFileSync(path, 'ab'.repeat(32) + '\n');
  chmodSync(path, mode);
  return path;
};

beforeAll(() => {
  keyFile(KEY_FILE, 0o600);
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-keyout', join(work, 'tls.key'), '-out', join(work, 'tls.crt')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ashare airgap check: usage and config errors (nothing reaches a network before these)', () => {
  const cfg = () => config('usage', airgap([]));

  it('exit 2 without --config, with a bad --at, a bad --try or an unknown flag; each one sentence naming it', () => {
    const cases: [string[], string][] = [
      [[], '--config'], [['--at', 'tomorrow'], '--at "tomorrow"'], [['--at', '2024-02-30T10:00:00+08:00'], '--at'],
      [['--try', 'ftp://example.com/'], '--try "ftp://example.com/"'], [['--try', 'example.com'], '--try'], [['--try', '127.0.0.1:70000'], 'port 70000'],
      [['--bogus'], '--bogus'],
    ];
    for (const [args, says] of cases) {
      const r = ashare(work, ['airgap', 'check', ...(args.length > 0 ? ['--config', cfg()] : []), ...args]);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(says);
      expect(r.out).toBe('');
    }
  });

  it('exit 3 for a config without an airgap: section, an invalid window, or no config at all', () => {
    const none = ashare(work, ['airgap', 'check', '--config', config('noairgap', null)]);
    expect(none.code).toBe(3);
    expect(none.err).toMatch(/has no airgap: section/);
    const badWindow = ashare(work, ['airgap', 'check', '--config', config('badwindow', '  enabled: true\n  window: "15:30-09:00"\n')]);
    expect(badWindow.code).toBe(3);
    expect(badWindow.err).toContain('airgap.window');
    expect(ashare(work, ['airgap', 'check', '--config', join(work, 'missing.yaml')]).code).toBe(3);
  });

  it('--help prints the usage and exits 0', () => {
    const r = ashare(work, ['airgap', 'check', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: ashare airgap check');
  });
});

describe.skipIf(nsProblem !== null)('ashare airgap check in a network namespace', () => {
  it('inside the window: armed, outside addresses and DNS refused by the guard, a local server not on the allow list never sees a connection, the allowed one is reached; outside the window, on a Saturday or a holiday everything passes', () => {
    const d = dir('window');
    const cfg = config('window', airgap(['127.0.0.1:8001']), d);
    const tries = ['--try', 'http://127.0.0.1:8002/status', '--try', '127.0.0.1:8001'];
    const [inside, human, evening, saturday, holiday] = inNamespace(
      [{ name: 'allowed', kind: 'http', host: '127.0.0.1', port: 8001 }, { name: 'refused', kind: 'http', host: '127.0.0.1', port: 8002 }],
      [check(['--config', cfg, '--at', INSIDE, ...tries, '--json']), check(['--config', cfg, '--at', INSIDE, ...tries]),
        check(['--config', cfg, '--at', EVENING, ...tries, '--json']), check(['--config', cfg, '--at', SATURDAY, '--json']), check(['--config', cfg, '--at', NATIONAL_DAY, '--json'])],
    ) as [Run, Run, Run, Run, Run];

    const rep = report(inside);
    exits(inside, 0);
    expect(rep).toMatchObject({ ok: true, armed: true, at: INSIDE, window: '09:00-15:30' });
    expect(rep.checks.map((c) => c.name)).toEqual(['config', 'outside-connect', 'outside-dns', 'try-targets', 'allow-list', 'listeners', 'journal-encrypted', 'users-encrypted', 'permissions']);
    expect(failed(rep)).toEqual([]);
    expect(named(rep, 'outside-connect').detail).toMatch(/^refused by the guard .*223\.5\.5\.5:53, 1\.1\.1\.1:443/);
    expect(named(rep, 'outside-dns').detail).toMatch(/^refused by the guard .*www\.baidu\.com/);
    expect(rep.targets).toEqual([
      { target: 'http://127.0.0.1:8002/status', source: 'try', allowed: false, reached: false, detail: 'EGRESS_BLOCKED: refused by the guard' },
      { target: '127.0.0.1:8001', source: 'try', allowed: true, reached: true, detail: 'connected' },
      { target: '127.0.0.1:8001', source: 'allow', allowed: true, reached: true, detail: 'connected' },
    ]);
    expect(inside.counts).toEqual({ allowed: 2, refused: 0 }); // the guard refused before a SYN left
    expect(named(rep, 'journal-encrypted').detail).toContain(`journal ${join(d, 'paper.sqlite')} not created yet`);

    exits(human, 0);
    expect(human.out).toMatch(/^air gap at 2024-03-05T10:00:00\+08:00 \(window 09:00-15:30\): ARMED/);
    expect(human.out).toMatch(/ {2}ok {4}outside-connect +refused by the guard/);
    expect(human.out).toMatch(/http:\/\/127\.0\.0\.1:8002\/status +not allowed +not reached \(EGRESS_BLOCKED/);
    expect(human.out.trim().split('\n').at(-1)).toBe('all 9 checks passed');
    expect(human.counts.refused).toBe(0);

    const out = report(evening);
    exits(evening, 0);
    expect(out).toMatchObject({ ok: true, armed: false, at: EVENING });
    expect(out.targets[0]).toMatchObject({ target: 'http://127.0.0.1:8002/status', allowed: true, reached: true });
    expect(evening.counts.refused).toBe(1); // the same target, reached once the window is closed
    expect(named(out, 'outside-connect').detail).toMatch(/^not armed \(2024-03-05T18:00:00\+08:00 is outside the window 09:00-15:30\)/);
    // No network in the namespace: reported, not failed.
    expect(named(out, 'outside-connect').detail).toContain('this machine may have no network');
    for (const [run, day] of [[saturday, '2024-03-09'], [holiday, '2024-10-01']] as const) {
      const r = report(run);
      exits(run, 0);
      expect(r.armed).toBe(false);
      expect(named(r, 'outside-dns').detail).toContain(`not armed (${day} is not a trading day)`);
    }
  });

  it('listeners: a plain-text one on 0.0.0.0 or :: fails naming its port; a TLS one passes (probed with the guard disarmed, even inside the window); loopback ones are fine', () => {
    const cfg = config('listen', airgap([]), dir('listen'));
    const [mixed, tlsOnly, tlsInside] = inNamespace(
      [{ name: 'plain4', kind: 'http', host: '0.0.0.0', port: 8101 }, { name: 'plain6', kind: 'http', host: '::', port: 8102 },
        { name: 'tls', kind: 'tls', host: '0.0.0.0', port: 8103 }, { name: 'local', kind: 'http', host: '127.0.0.1', port: 8104 }],
      [check(['--config', cfg, '--at', EVENING, '--json']), { ...check(['--config', cfg, '--at', EVENING, '--json']), close: ['plain4', 'plain6'] },
        check(['--config', cfg, '--at', INSIDE, '--json'])],
    ) as [Run, Run, Run];

    exits(mixed, 1);
    const m = report(mixed);
    expect(failed(m)).toEqual(['listeners']);
    const problem = named(m, 'listeners').detail.split(' (4 listening')[0]!;
    expect(problem).toContain('plain text on a non-loopback address: ');
    expect(problem).toContain('0.0.0.0:8101');
    expect(problem).toContain('[::]:8102');
    expect(problem).not.toContain('8103');
    expect(named(m, 'listeners').detail).toMatch(/TLS beyond loopback: 0\.0\.0\.0:8103 \(TLSv1\.[23]\)/);
    expect(named(m, 'listeners').detail).not.toContain('8104');
    expect(mixed.counts.local).toBe(0); // loopback listeners are not probed

    for (const run of [tlsOnly, tlsInside]) {
      exits(run, 0);
      expect(named(report(run), 'listeners')).toMatchObject({ ok: true, detail: expect.stringMatching(/^2 listening TCP socket\(s\) of uid 0: 1 on loopback; TLS beyond loopback: 0\.0\.0\.0:8103/) });
    }
    expect(report(tlsInside).armed).toBe(true);
  });

  it('files at rest: a plaintext journal or users file, a 0644 key file, a 0755 journal directory or command channel fail, each named; encrypted and owner-only passes; airgap.enabled false fails config', () => {
    const good = dir('good');
    const goodKey = keyFile(join(good, 'journal.key'), 0o600);
    const goodJournal = join(good, 'run.sqlite');
    sqliteFile(goodJournal, goodKey);
    sqliteFile(join(good, 'users.sqlite'), goodKey);
    sqliteFile(`${goodJournal}.security.sqlite`, goodKey);
    dir('good/run.sqlite.commands');
    const goodCfg = config('good', airgap([]), good, { keyFile: goodKey });

    const plain = dir('plain');
    sqliteFile(join(plain, 'paper.sqlite')); // the default journal of config name paper
    sqliteFile(join(plain, 'users.sqlite'));
    const looseKey = keyFile(join(plain, 'loose.key'), 0o644);
    const loose = dir('loose', 0o755);
    dir('loose/paper.sqlite.commands', 0o755);
    const plainCfg = config('plain', airgap([]), plain, null);

    const [ok, plainRun, keyRun, looseRun, disabled] = inNamespace([], [
      check(['--config', goodCfg, '--journal', goodJournal, '--at', INSIDE, '--json']),
      check(['--config', plainCfg, '--at', EVENING, '--json']),
      check(['--config', goodCfg, '--journal', goodJournal, '--key-file', looseKey, '--at', EVENING, '--json']),
      check(['--config', config('loose', airgap([]), loose), '--at', EVENING, '--json']),
      check(['--config', config('disabled', airgap([], false), dir('disabled')), '--at', INSIDE, '--json']),
    ]) as [Run, Run, Run, Run, Run];

    exits(ok, 0);
    const g = report(ok);
    expect(named(g, 'journal-encrypted').detail).toContain(`journal ${goodJournal} is encrypted`);
    expect(named(g, 'users-encrypted').detail).toBe(`users file ${join(good, 'users.sqlite')} is encrypted; security log ${goodJournal}.security.sqlite is encrypted`);
    expect(named(g, 'permissions').detail).toContain(goodKey);

    exits(plainRun, 1);
    const p = report(plainRun);
    expect(failed(p)).toEqual(['journal-encrypted', 'users-encrypted', 'permissions']);
    expect(named(p, 'journal-encrypted').detail).toContain(`journal ${join(plain, 'paper.sqlite')}`);
    expect(named(p, 'users-encrypted').detail).toContain(`users file ${join(plain, 'users.sqlite')}`);

    exits(keyRun, 1);
    const k = report(keyRun);
    expect(failed(k)).toEqual(['permissions']);
    expect(named(k, 'permissions').detail).toBe(`group or others can get in: ${looseKey} (key file, mode 0644, want 0600) — chmod them (or set the service's umask to 077)`);

    exits(looseRun, 1);
    const l = report(looseRun);
    expect(failed(l)).toEqual(['permissions']);
    expect(named(l, 'permissions').detail).toContain(`${loose} (journal directory, mode 0755, want 0700); ${join(loose, 'paper.sqlite.commands')} (command channel, mode 0755, want 0700)`);

    exits(disabled, 1);
    const x = report(disabled);
    expect(x.armed).toBe(false);
    expect(failed(x)).toEqual(['config']);
    expect(named(x, 'config').detail).toBe('airgap.enabled is false: nothing is enforced');
    expect(named(x, 'outside-connect').detail).toMatch(/^not armed \(airgap\.enabled is false\)/);
  });

  it('no journal key configured: journal-encrypted, users-encrypted and permissions fail before any file exists, saying what is missing; with a key file or a passphrase, files not created yet pass', () => {
    const none = dir('nokey');
    const withFile = dir('withkey');
    const withPass = dir('withpass');
    const [noKey, fileKey, passKey] = inNamespace([], [
      check(['--config', config('nokey', airgap([]), none, null), '--at', EVENING, '--json']),
      check(['--config', config('withkey', airgap([]), withFile), '--at', EVENING, '--json']),
      check(['--config', config('withpass', airgap([]), withPass, { passphraseEnv: 'AIRGAP_TEST_PASSPHRASE' }), '--at', EVENING, '--json']),
    ]) as [Run, Run, Run];

    exits(noKey, 1);
    const n = report(noKey);
    expect(failed(n)).toEqual(['journal-encrypted', 'users-encrypted', 'permissions']);
    const setKey = '(set journal.keyFile or journal.passphraseEnv, or pass --key-file)';
    expect(named(n, 'journal-encrypted').detail).toMatch(/^no journal key is configured: the journal and paper broker's book would be written in clear /);
    expect(named(n, 'journal-encrypted').detail).toContain(`${setKey}; journal ${join(none, 'paper.sqlite')} not created yet`);
    expect(named(n, 'users-encrypted').detail).toBe(`no journal key is configured: the users file and security log would be written in clear ${setKey}; `
      + `users file ${join(none, 'users.sqlite')} not created yet; security log ${join(none, 'paper.sqlite')}.security.sqlite not created yet`);
    expect(named(n, 'permissions').detail).toBe(`no journal key is configured: there is no key file to keep owner-only and the files would be in clear whatever their modes ${setKey}`);

    for (const [run, d] of [[fileKey, withFile], [passKey, withPass]] as const) {
      exits(run, 0);
      const r = report(run);
      expect(failed(r)).toEqual([]);
      expect(named(r, 'journal-encrypted').detail).toMatch(new RegExp(`^journal ${d}/paper\\.sqlite not created yet; .* \\(they will be created encrypted with the configured key\\)$`));
      expect(named(r, 'users-encrypted').detail).toBe(`users file ${join(d, 'users.sqlite')} not created yet; security log ${join(d, 'paper.sqlite')}.security.sqlite not created yet (they will be created encrypted with the configured key)`);
      expect(named(r, 'permissions').detail).toContain(`not created yet: ${join(d, 'paper.sqlite.commands')}, ${join(d, 'paper.sqlite')}, ${join(d, 'users.sqlite')}`);
    }
    expect(named(report(fileKey), 'permissions').detail).toMatch(new RegExp(`^owner only: ${KEY_FILE}, ${withFile};`));
    expect(named(report(passKey), 'permissions').detail).toMatch(/; the key is a passphrase from AIRGAP_TEST_PASSPHRASE \(no key file\)$/);
  });
});

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';

// `ashare audit` end to end through the compiled CLI (`npm test` builds dist/ first).
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const bin = join(repo, 'bin', 'ashare.js');
const work = mkdtempSync(join(tmpdir(), 'ashare-audit-'));
const SLOW = { timeout: 120_000 };

function ashare(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (r: { out: string }) => JSON.parse(r.out);

interface Ev { seq: number; day: string; type: string; data: Record<string, unknown> }
const selected = (journal: string, type: string): Ev[] => json(ashare('journal', 'inspect', journal, '--json', '--type', type)).selected;
const DECISIONS = ['OrderApproved', 'OrderDenied', 'StopTriggered', 'TradingStateChanged'];

/** Rewrites one event's JSON data in place in a plaintext journal copy (the stored hash is left as it was). */
function tamper(src: string, name: string, seq: number, edit: (d: Record<string, unknown>) => void): string {
  const copy = join(work, name);
  copyFileSync(src, copy);
  const db = new Database(copy);
  try {
    const row = db.prepare('SELECT data FROM events WHERE seq = ?').get(seq) as { data: string };
    const data = JSON.parse(row.data) as Record<string, unknown>;
    edit(data);
    expect(db.prepare('UPDATE events SET data = ? WHERE seq = ?').run(JSON.stringify(data), seq).changes).toBe(1);
  } finally {
    db.close();
  }
  return copy;
}

describe('ashare audit', () => {
  const demo = join(work, 'demo.sqlite');
  beforeAll(() => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js'))).toBe(true);
    const r = ashare('demo', '--json', '--symbols', '20', '--days', '120', '--journal', demo);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(demo)).toBe(true);
  }, 120_000);

  it('an untouched demo journal passes: every recorded decision is re-decided the same, all days and one day', SLOW, () => {
    const r = ashare('audit', '--journal', demo, '--json');
    expect(r.code, r.err).toBe(0);
    const a = json(r);
    expect(a).toMatchObject({ chain: { ok: true }, mismatches: 0, details: [], pass: true, mode: 'backtest', days: 120 });
    expect(a.decisions).toBeGreaterThan(0);
    expect(a.approved).toBeGreaterThan(0);
    expect(a.denied).toBeGreaterThan(0);
    expect(a.decisions).toBe(a.approved + a.denied + a.stops + a.stateChanges.length);
    const types = json(ashare('journal', 'inspect', demo, '--json')).types as Record<string, number>;
    expect(a.decisions).toBe(DECISIONS.reduce((s, t) => s + (types[t] ?? 0), 0));
    expect(a.approved).toBe(types['OrderApproved']);
    expect(a.denied).toBe(types['OrderDenied']);
    expect(Object.values(a.deniedBy as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(a.denied);
    expect(a.ruleVersions.length).toBeGreaterThan(0);
    for (const v of a.ruleVersions as string[]) {
      expect(v).toContain('risk-config');
      expect(v).toContain('market-rules');
    }
    expect(a.marketTables.recorded).toEqual([a.marketTables.loaded]);

    const human = ashare('audit', '--journal', demo);
    expect(human.code).toBe(0);
    expect(human.out).toContain('Result: PASS');
    expect(human.out).toContain('Mismatches: 0');

    const day = selected(demo, 'OrderDenied')[0]!.day;
    const one = ashare('audit', '--journal', demo, '--day', day, '--json');
    expect(one.code, one.err).toBe(0);
    const onDay = (json(ashare('journal', 'inspect', demo, '--json', '--day', day)).selected as Ev[]).filter((e) => DECISIONS.includes(e.type));
    expect(json(one)).toMatchObject({ days: 1, mismatches: 0, pass: true, decisions: onDay.length });
    expect(json(one).denied).toBeGreaterThanOrEqual(1);
  });

  it('a denial rewritten in the SQLite file breaks the chain at its seq and is reported as that order\'s mismatch', SLOW, () => {
    const target = selected(demo, 'OrderDenied')[0]!;
    expect(target.data['rule']).not.toBe('maxPositionPct');
    const copy = tamper(demo, 'denied-tampered.sqlite', target.seq, (d) => {
      d['rule'] = 'maxPositionPct';
      d['details'] = `${String(d['details'])} (edited)`;
    });
    const r = ashare('audit', '--journal', copy, '--json');
    expect(r.code).toBe(1);
    const a = json(r);
    expect(a.chain).toMatchObject({ ok: false, seq: target.seq });
    expect(a.pass).toBe(false);
    expect(a.mismatches).toBe(1);
    expect(a.details).toHaveLength(1);
    expect(a.details[0]).toMatchObject({ day: target.day, seq: target.seq, subject: `order ${String(target.data['orderId'])}` });
    expect(a.details[0].recorded).toContain('by maxPositionPct');
    expect(a.details[0].replayed).toContain(`by ${String(target.data['rule'])}`);
    const human = ashare('audit', '--journal', copy);
    expect(human.code).toBe(1);
    expect(human.out).toContain(`BROKEN at seq ${target.seq}`);
    expect(human.out).toContain('Result: FAIL');
  });

  it('an approval with a changed reservedFen is likewise a broken chain and a mismatch on that order', SLOW, () => {
    const target = selected(demo, 'OrderApproved')[2]!;
    const copy = tamper(demo, 'approved-tampered.sqlite', target.seq, (d) => { d['reservedFen'] = Number(d['reservedFen']) + 100; });
    const r = ashare('audit', '--journal', copy, '--json');
    expect(r.code).toBe(1);
    const a = json(r);
    expect(a.chain).toMatchObject({ ok: false, seq: target.seq });
    expect(a.details).toEqual([expect.objectContaining({ seq: target.seq, subject: `order ${String(target.data['orderId'])}` })]);
  });

  describe('kill switch through the paper service (ashare paper = ashare run in mode paper)', () => {
    const bars = join(work, 'm.csv');
    const instruments = join(work, 'm.instruments.csv');
    const cfg = join(work, 'paper-csv.yaml');
    const paper = (journal: string, kill: string) => ashare('paper', '--config', cfg, '--allow-plaintext', '--journal', journal,
      '--clock', 'sim:2022-01-04T08:00:00+08:00:max', '--until', '2022-02-28T16:00:00+08:00', '--kill-switch', kill);
    beforeAll(() => {
      expect(ashare('market', 'generate', '--symbols', '12', '--days', '60', '--seed', '5', '--out', bars).code).toBe(0);
      expect(existsSync(instruments)).toBe(true);
      writeFileSync(cfg, readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
        .replace(/market:\n(  .*\n)+/, `market:\n  source: csv\n  bars: ${bars}\n  instruments: ${instruments}\n`)
        .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`));
    }, 120_000);

    it('a halt file halts the run on its first day: no fills, every order denied by the kill switch, and the audit passes', SLOW, () => {
      const kill = join(work, 'halt.yaml');
      writeFileSync(kill, 'to: HALTED\nby: alice\nwhy: broker outage\n');
      const journal = join(work, 'halted.sqlite');
      const r = paper(journal, kill);
      expect(r.code, r.err).toBe(0);
      const firstDay = (json(ashare('journal', 'inspect', journal, '--json')).days as string[])[0];
      const changes = selected(journal, 'TradingStateChanged');
      expect(changes).toHaveLength(1);
      expect(changes[0]!.day).toBe(firstDay);
      expect(changes[0]!.data).toEqual({ day: firstDay, from: 'ACTIVE', to: 'HALTED', by: 'alice', why: 'broker outage' });
      expect(selected(journal, 'OrderFilled')).toHaveLength(0);
      expect(selected(journal, 'OrderApproved')).toHaveLength(0);
      const denied = selected(journal, 'OrderDenied');
      expect(denied.length).toBeGreaterThan(0);
      for (const d of denied) expect(d.data).toMatchObject({ reason: 'TRADING_HALTED', rule: 'killSwitch' });

      const audit = ashare('audit', '--journal', journal, '--json');
      expect(audit.code, audit.err).toBe(0);
      expect(json(audit)).toMatchObject({
        mode: 'paper', mismatches: 0, pass: true, approved: 0, denied: denied.length,
        deniedBy: { 'killSwitch/TRADING_HALTED': denied.length }, stateChanges: [changes[0]!.data],
      });
    });

    it('a malformed halt file halts to be safe, by kill-switch-file, naming the file', SLOW, () => {
      const kill = join(work, 'paused.yaml');
      writeFileSync(kill, 'to: PAUSED\n');
      const journal = join(work, 'malformed.sqlite');
      const r = paper(journal, kill);
      expect(r.code, r.err).toBe(0);
      const changes = selected(journal, 'TradingStateChanged');
      expect(changes).toHaveLength(1);
      expect(changes[0]!.data).toMatchObject({ from: 'ACTIVE', to: 'HALTED', by: 'kill-switch-file' });
      expect(changes[0]!.data['why']).toContain(kill);
      expect(selected(journal, 'OrderFilled')).toHaveLength(0);
      expect(json(ashare('audit', '--journal', journal, '--json'))).toMatchObject({ mismatches: 0, pass: true });
    });
  });

  it('usage: no --journal and a malformed --day are exit 2; a valid date that is not a trading day of the journal is exit 3', SLOW, () => {
    const none = ashare('audit');
    expect(none.code).toBe(2);
    expect(none.err).toContain('--journal');
    const bad = ashare('audit', '--journal', demo, '--day', '2022-13-45');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('2022-13-45');
    for (const day of ['2022-01-01', '2030-01-02']) { // New Year's Day (no bars), and a date after the run
      const r = ashare('audit', '--journal', demo, '--day', day);
      expect(r.code).toBe(3);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(day);
    }
  });
});

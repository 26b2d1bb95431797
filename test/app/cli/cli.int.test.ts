import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// End to end through the compiled CLI (`npm test` builds dist/ first; `npm ci` does too).
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const bin = join(repo, 'bin', 'ashare.js');
const work = mkdtempSync(join(tmpdir(), 'ashare-cli-'));

function ashare(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (r: { out: string }) => JSON.parse(r.out);

interface DemoJson {
  journal: string; projectionHash: string; headHash: string; symbols: number; days: number; events: number; report: string;
  metrics: { totalReturn: number; cagr: number; sharpe: number; maxDrawdown: number; trades: number };
}

describe('ashare CLI', () => {
  let demo: DemoJson;
  beforeAll(() => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js'))).toBe(true);
    const r = ashare('demo', '--json', '--symbols', '30', '--days', '160');
    expect(r.code, r.err).toBe(0);
    demo = json(r);
  });

  it('demo --json prints the run summary with metrics, and writes the journal and the report', () => {
    expect(demo).toMatchObject({ symbols: 30, days: 160 });
    expect(demo.projectionHash).toMatch(/^[0-9a-f]{64}$/);
    expect(demo.events).toBeGreaterThan(160);
    for (const k of ['totalReturn', 'cagr', 'sharpe', 'maxDrawdown', 'trades'] as const) expect(Number.isFinite(demo.metrics[k])).toBe(true);
    expect(demo.metrics.trades).toBeGreaterThan(0);
    expect(existsSync(demo.journal)).toBe(true);
    expect(readFileSync(demo.report, 'utf8')).toContain(demo.projectionHash);
  });

  it('two demo runs give the same projection hash and journal head, in different files', () => {
    const again: DemoJson = json(ashare('demo', '--json', '--symbols', '30', '--days', '160'));
    expect(again.journal).not.toBe(demo.journal);
    expect(again.projectionHash).toBe(demo.projectionHash);
    expect(again.headHash).toBe(demo.headHash);
  });

  it('journal inspect --json gives events, seq range, days and counts by type', () => {
    const r = json(ashare('journal', 'inspect', demo.journal, '--json'));
    expect(r.events).toBe(demo.events);
    expect(r.firstSeq).toBe(1);
    expect(r.lastSeq).toBe(demo.events);
    expect(r.days).toHaveLength(160);
    expect(r.types.RunStarted).toBe(1);
    expect(r.types.BarsClosed).toBe(160);
    expect(r.types.DayClosed).toBe(160);
    const day = json(ashare('journal', 'inspect', demo.journal, '--json', '--day', r.days[3], '--type', 'BarsClosed'));
    expect(day.matched).toBe(1);
  });

  it('journal verify passes on the journal and names the seq of one changed byte in a copy', () => {
    const ok = ashare('journal', 'verify', demo.journal, '--json');
    expect(ok.code).toBe(0);
    expect(json(ok)).toMatchObject({ ok: true, events: demo.events });

    const days: string[] = json(ashare('journal', 'inspect', demo.journal, '--json')).days;
    const target = json(ashare('journal', 'inspect', demo.journal, '--json', '--day', days[40]!, '--type', 'BarsClosed')).selected[0];
    const buf = readFileSync(demo.journal);
    const marker = Buffer.from(`"day":"${days[40]}","packed":"`); // BarsClosed v2: the day's bars packed in base64
    const at = buf.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const char = at + marker.length; // the first character of the packed bars
    expect(/[A-Za-z0-9+/]/.test(String.fromCharCode(buf[char]!))).toBe(true);
    buf[char] = buf[char] === 0x41 ? 0x42 : 0x41; // another base64 character: still a well-formed row
    const copy = join(work, 'tampered.sqlite');
    writeFileSync(copy, buf);
    const bad = ashare('journal', 'verify', copy, '--json');
    expect(bad.code).toBe(1);
    expect(json(bad)).toMatchObject({ ok: false, seq: target.seq });
    const human = ashare('journal', 'verify', copy);
    expect(human.err).toContain(`seq ${target.seq}`);
  });

  it('replay gives 0 diffs for every day of the demo journal, and for one day with its projection hash', () => {
    const all = ashare('replay', '--journal', demo.journal, '--all', '--json');
    expect(all.code, all.err).toBe(0);
    expect(json(all)).toMatchObject({ days: 160, daysWithDiffs: 0, diffs: 0 });
    const days: string[] = json(ashare('journal', 'inspect', demo.journal, '--json')).days;
    const one = ashare('replay', '--journal', demo.journal, '--day', days[100]!, '--json');
    expect(one.code).toBe(0);
    expect(json(one)).toMatchObject({ day: days[100], diffs: 0 });
    expect(json(one).projectionHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an encrypted journal opened with the wrong key fails with one clear sentence and exit 4', () => {
    const k1 = join(work, 'k1.key'), k2 = join(work, 'k2.key');
    writeFileSync(k1, '11'.repeat(32) + '\n', { mode: 0o600 });
    writeFileSync(k2, '22'.repeat(32) + '\n', { mode: 0o600 });
    const enc = ashare('demo', '--json', '--symbols', '10', '--days', '60', '--key-file', k1);
    expect(enc.code, enc.err).toBe(0);
    const path = json(enc).journal as string;
    expect(readFileSync(path).includes(Buffer.from('BarsClosed'))).toBe(false);
    expect(ashare('journal', 'verify', path, '--key-file', k1).code).toBe(0);
    for (const r of [ashare('journal', 'verify', path, '--key-file', k2), ashare('replay', '--journal', path, '--all', '--key-file', k2)]) {
      expect(r.code).toBe(4);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/key/i);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const none = ashare('journal', 'verify', path);
    expect(none.code).toBe(4);
    expect(none.err.trim().split('\n')).toHaveLength(1);
  });

  it('market generate is deterministic, and backtest runs on its CSV', () => {
    const a = join(work, 'a.csv'), b = join(work, 'b.csv');
    expect(ashare('market', 'generate', '--symbols', '12', '--days', '80', '--seed', '3', '--out', a).code).toBe(0);
    expect(ashare('market', 'generate', '--symbols', '12', '--days', '80', '--seed', '3', '--out', b).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a, 'utf8').split('\n')[0]).toBe('symbol,date,open,high,low,close,volume,amount,pre_close,is_st');
    const r = ashare('backtest', '--config', join(repo, 'config', 'backtest.yaml'), '--bars', a, '--json');
    expect(r.code, r.err).toBe(0);
    expect(json(r)).toMatchObject({ symbols: 12, days: 80 });
  });

  it('bad input: a malformed bar file names file and line; a bad config names the key; unknown flags are usage errors', () => {
    const a = join(work, 'bad.csv');
    writeFileSync(a, 'symbol,date,open,high,low,close,volume,amount\n600000.SH,2024-01-02,10,11,9,10.5,1000,10500\n600000.SH,2024-01-03,10,9,11,10.5,1000,10500\n');
    const r = ashare('backtest', '--config', join(repo, 'config', 'backtest.yaml'), '--bars', a);
    expect(r.code).toBe(3);
    expect(r.err).toContain('bad.csv');
    expect(r.err).toMatch(/line 3/);
    const cfg = join(work, 'bad.yaml');
    copyFileSync(join(repo, 'config', 'backtest.yaml'), cfg);
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('fast: 5', 'fast: five').replace('maxPositions: 20', 'maxPositons: 20'));
    const c = ashare('backtest', '--config', cfg);
    expect(c.code).toBe(3);
    expect(c.err).toContain('strategy.params.fast');
    expect(c.err).toContain('maxPositons');
    expect(ashare('demo', '--frobnicate').code).toBe(2);
    expect(ashare('replay', '--journal', demo.journal).code).toBe(2);
  });

  it('paper is ashare run in mode paper: an encrypted durable journal, sim-clock recordedAt, random ids, replayable; mode and durability checked', () => {
    const bars = join(work, 'paper-bars.csv');
    expect(ashare('market', 'generate', '--symbols', '12', '--days', '60', '--seed', '5', '--out', bars).code).toBe(0);
    const paperYaml = readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8');
    const cfg = join(work, 'paper-run.yaml');
    writeFileSync(cfg, paperYaml.replace(/market:\n(  .*\n)+/, `market:\n  source: csv\n  bars: ${bars}\n`).replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`));
    const journal = join(work, 'paper-run.sqlite');
    const clock = ['--clock', 'sim:2022-01-04T08:00:00+08:00:max', '--until', '2022-01-14T16:00:00+08:00'];
    const refused = ashare('paper', '--config', cfg, '--journal', journal, ...clock);
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/must be encrypted/);
    const key = join(work, 'paper.key');
    writeFileSync(key, '33'.repeat(32) + '\n', { mode: 0o600 });
    const r = ashare('paper', '--config', cfg, '--key-file', key, '--journal', journal, ...clock);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('stopped (--until reached)');
    expect(ashare('journal', 'verify', journal, '--key-file', key).code).toBe(0);
    expect(json(ashare('replay', '--journal', journal, '--all', '--json', '--key-file', key))).toMatchObject({ daysWithDiffs: 0 });
    const ev = json(ashare('journal', 'inspect', journal, '--json', '--type', 'RunStarted', '--key-file', key)).selected[0];
    expect(ev.data.mode).toBe('paper');
    expect(ev.recordedAt).toBe(Date.parse('2022-01-04T08:00:00+08:00')); // the simulated instant, not the wall clock
    expect(ev.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/); // random v4, not name-based v5
    const bad = join(work, 'paper-fast.yaml');
    writeFileSync(bad, readFileSync(cfg, 'utf8').replace('durability: durable', 'durability: fast'));
    const c = ashare('paper', '--config', bad, '--key-file', key);
    expect(c.code).toBe(3);
    expect(c.err).toContain('journal.durability: must be durable in paper mode');
    const bt = ashare('paper', '--config', join(repo, 'config', 'backtest.yaml'), '--key-file', key);
    expect(bt.code).toBe(3);
    expect(bt.err).toContain('ashare backtest');
  });
});

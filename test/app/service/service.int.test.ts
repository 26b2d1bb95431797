import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ashare, repo, startAshare } from './serviceHarness.js';

// ashare run end to end through the compiled CLI: the same projections as the backtest of the same
// data, one writer per journal, a clean stop on SIGTERM, reconciliation policies, and bad input.
const work = mkdtempSync(join(tmpdir(), 'ashare-service-'));
const bars = join(work, 'm.csv');
const instruments = join(work, 'm.instruments.csv');
const dividends = join(work, 'm.dividends.csv');
const paperYaml = () => readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8');

function config(name: string, edit: (yaml: string) => string = (y) => y): string {
  const p = join(work, `${name}.yaml`);
  writeFileSync(p, edit(paperYaml()
    .replace(/market:\n(  .*\n)+/, `market:\n  source: csv\n  bars: ${bars}\n  instruments: ${instruments}\n  dividends: ${dividends}\n`)
    .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)));
  return p;
}
const inspect = (journal: string, type: string) =>
  JSON.parse(ashare(work, ['journal', 'inspect', journal, '--json', '--type', type]).out).selected as { data: Record<string, unknown>; day: string }[];
const projectionHash = (journal: string) => {
  const r = ashare(work, ['report', '--journal', journal, '--out', `${journal}.report`, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out).projectionHash as string;
};
const SIM = ['--clock', 'sim:2022-01-04T08:00:00+08:00:max'];

beforeAll(() => {
  expect(ashare(work, ['market', 'generate', '--symbols', '12', '--days', '60', '--seed', '5', '--out', bars]).code).toBe(0);
  expect(existsSync(dividends)).toBe(true);
}, 120_000);

describe('ashare run', () => {
  it('folds to the same projections, byte for byte, as the backtest of the same config and data (dividends included)', () => {
    const run = join(work, 'eq-run.sqlite');
    const r = ashare(work, ['run', '--config', config('eq-paper'), '--allow-plaintext', '--journal', run, ...SIM, '--until', '2022-12-31T00:00:00+08:00']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('stopped (the market data ends)');
    const bt = ashare(work, ['backtest', '--config', config('eq-bt', (y) => y.replace('mode: paper', 'mode: backtest')), '--journal', join(work, 'eq-bt.sqlite'), '--json']);
    expect(bt.code, bt.err).toBe(0);
    const backtest = JSON.parse(bt.out) as { projectionHash: string; metrics: { trades: number } };
    expect(backtest.metrics.trades).toBeGreaterThan(5);
    expect(inspect(run, 'DividendPaid').length).toBeGreaterThan(0);
    expect(projectionHash(run)).toBe(backtest.projectionHash);
  });

  it('one writer: a second run on the same journal is refused naming the first; SIGTERM finishes the step, journals ServiceStopped and exits 0', async () => {
    const journal = join(work, 'lock.sqlite');
    const cfg = config('lock');
    // Real-time speed: the service sleeps until the next step, so it is still running when the second one starts.
    const first = startAshare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, '--clock', 'sim:2022-01-04T08:00:00+08:00:1', '--json-log']);
    for (let i = 0; i < 200 && !first.child.killed; i++) {
      if (existsSync(`${journal}.lock`) && existsSync(journal) && inspect(journal, 'ServiceStarted').length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, ...SIM]);
    expect(second.code).toBe(4);
    expect(second.err).toContain(`pid ${first.child.pid}`);
    expect(second.err.trim().split('\n')).toHaveLength(1);
    const status = JSON.parse(ashare(work, ['run', 'status', '--journal', journal, '--json']).out);
    expect(status).toMatchObject({ running: true, pid: first.child.pid, mode: 'paper' });
    first.child.kill('SIGTERM');
    const exit = await first.done;
    expect(exit.code, exit.err).toBe(0);
    for (const line of exit.out.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('level'); // --json-log: one JSON object a line
    expect(inspect(journal, 'ServiceStopped').map((e) => e.data['reason'])).toEqual(['SIGNAL']);
    expect(existsSync(`${journal}.lock`)).toBe(false);
    expect(JSON.parse(ashare(work, ['run', 'status', '--journal', journal, '--json']).out)).toMatchObject({ running: false, pid: null });
  });

  it('takes over the lock of a process that died and journals it', () => {
    const journal = join(work, 'stale.sqlite');
    const cfg = config('stale');
    expect(ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, ...SIM, '--until', '2022-02-01T16:00:00+08:00']).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${journal}.lock`, JSON.stringify({ pid: dead, startedAt: '2026-01-01T00:00:00Z', procStart: null, host: (require('node:os') as typeof import('node:os')).hostname() }));
    const r = ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, ...SIM, '--until', '2022-02-08T16:00:00+08:00']);
    expect(r.code, r.err).toBe(0);
    expect(inspect(journal, 'LockTakenOver').map((e) => e.data['stalePid'])).toEqual([dead]);
    expect(inspect(journal, 'ServiceResumed')).toHaveLength(1);
    expect(ashare(work, ['replay', '--journal', journal, '--all']).code).toBe(0);
  });

  it('after days down, takes every missed day\'s bars (no day missed), sends nothing late, cancels the orders decided for days gone by', () => {
    const journal = join(work, 'down.sqlite');
    const cfg = config('down');
    expect(ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, ...SIM, '--until', '2022-02-08T16:00:00+08:00']).code).toBe(0);
    // Restarted on a clock nine trading days later, mid-morning (as the system clock would be after the machine was off).
    const r = ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, '--clock', 'sim:2022-02-21T10:00:00+08:00:max', '--until', '2022-02-22T16:00:00+08:00']);
    expect(r.code, r.err).toBe(0);
    const barDays = inspect(journal, 'BarsClosed').map((e) => e.data['day']);
    const tradingDays = readFileSync(bars, 'utf8').split('\n').slice(1).map((l) => l.split(',')[1]).filter((d): d is string => !!d && d <= '2022-02-22');
    expect(barDays).toEqual([...new Set(tradingDays)].sort());
    const steps = inspect(journal, 'StepCompleted').filter((e) => String(e.data['day']) > '2022-02-08' && String(e.data['day']) < '2022-02-21');
    expect(new Set(steps.map((e) => e.data['step']))).toEqual(new Set(['afterclose']));
    const released = inspect(journal, 'OrderSubmitted').map((e) => e.day);
    expect(released.filter((d) => d > '2022-02-08' && d < '2022-02-21')).toEqual([]);
    const stale = inspect(journal, 'OrderCancelled').filter((e) => e.data['by'] === 'engine');
    expect(stale.length).toBeGreaterThan(0);
    for (const c of stale) expect(c.day).toBe('2022-02-21');
    expect(ashare(work, ['replay', '--journal', journal, '--all']).code).toBe(0);
    expect(ashare(work, ['audit', '--journal', journal]).code).toBe(0);
  });

  it('refuses to resume a journal under a changed config, and a journal that does not verify', () => {
    const journal = join(work, 'changed.sqlite');
    expect(ashare(work, ['run', '--config', config('changed'), '--allow-plaintext', '--journal', journal, ...SIM, '--until', '2022-01-10T16:00:00+08:00']).code).toBe(0);
    const r = ashare(work, ['run', '--config', config('changed2', (y) => y.replace('initialCash: 1000000', 'initialCash: 2000000')), '--allow-plaintext', '--journal', journal, ...SIM]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/config hash .* cannot change/);
    const db = new Database(journal);
    db.prepare("UPDATE events SET data = replace(data, '\"day\"', '\"day\" ') WHERE seq = 4").run();
    db.close();
    const broken = ashare(work, ['run', '--config', config('changed'), '--allow-plaintext', '--journal', journal, ...SIM]);
    expect(broken.code).toBe(4);
    expect(broken.err).toMatch(/does not verify at seq 4/);
  });

  describe('reconciliation with a broker whose books differ (file bridge, terminal starting with 990,000 CNY)', () => {
    const withTerminal = (policy: string, name: string) => {
      const bridge = join(work, `${name}-bridge`);
      mkdirSync(bridge);
      const cfg = config(name, (y) => y.replace(/broker:\n(  .*\n)+/, `broker:\n  kind: file-bridge\n  dir: ${bridge}\n`)
        .replace('policy: halt', `policy: ${policy}`).replace('brokerTimeoutSeconds: 30', 'brokerTimeoutSeconds: 8'));
      const script = join(work, `${name}.json`);
      writeFileSync(script, JSON.stringify({ cash: 990_000 }));
      const term = spawn(process.execPath, [join(repo, 'test', 'fixtures', 'fileTerminal.mjs'), '--dir', bridge, '--script', script], { stdio: 'ignore' });
      const journal = join(work, `${name}.sqlite`);
      const r = ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, '--clock', 'sim:2022-02-07T08:00:00+08:00:max', '--until', '2022-02-18T16:00:00+08:00']);
      term.kill('SIGTERM');
      expect(r.code, r.err).toBe(0);
      return journal;
    };

    it('halt: the break is journaled with an alert, trading halts by risk:reconciliation, later orders are denied, and the audit re-decides the halt', () => {
      const journal = withTerminal('halt', 'halt');
      const breaks = inspect(journal, 'ReconciliationBreak');
      expect(breaks[0]!.data).toMatchObject({ symbol: null, field: 'cash', ours: 100_000_000, theirs: 99_000_000, policy: 'halt' });
      expect(inspect(journal, 'AlertRaised').map((e) => e.data['code'])).toContain('RECONCILIATION_BREAK');
      const halts = inspect(journal, 'TradingStateChanged');
      expect(halts.map((e) => [e.data['to'], e.data['by']])).toEqual([['HALTED', 'risk:reconciliation']]);
      const after = inspect(journal, 'OrderDenied');
      expect(after.length).toBeGreaterThan(0);
      for (const d of after) expect(d.data['reason']).toBe('TRADING_HALTED');
      expect(inspect(journal, 'OrderSubmitted')).toHaveLength(0);
      const audit = ashare(work, ['audit', '--journal', journal, '--json']);
      expect(audit.code, audit.out).toBe(0);
      expect(JSON.parse(audit.out).stateChanges).toHaveLength(1);
    });

    it('adopt: the journal takes the broker\'s cash, saying so, and the next reconciliations pass', () => {
      const journal = withTerminal('adopt', 'adopt');
      expect(inspect(journal, 'ReconciliationBreak')).toHaveLength(1);
      expect(inspect(journal, 'CashAdjusted').map((e) => e.data)).toEqual([expect.objectContaining({ fromFen: 100_000_000, toFen: 99_000_000 })]);
      expect(inspect(journal, 'ReconciliationPassed').length).toBe(9);
      expect(inspect(journal, 'TradingStateChanged')).toHaveLength(0);
      expect(ashare(work, ['replay', '--journal', journal, '--all']).code).toBe(0);
    });
  });

  describe('bad input: one sentence and an exit code, nothing written', () => {
    it.each([
      ['a malformed schedule time', (y: string) => y.replace('release: "09:30"', 'release: "9:30"'), 3, 'schedule.release'],
      ['a release before the auction', (y: string) => y.replace('release: "09:30"', 'release: "09:00"').replace('preOpen: "09:00"', 'preOpen: "08:30"'), 3, 'schedule.release'],
      ['an unknown broker kind', (y: string) => y.replace('kind: paper', 'kind: ctp'), 3, 'broker.kind'],
      ['mode live with the paper broker', (y: string) => y.replace('mode: paper', 'mode: live'), 3, 'broker.kind'],
      ['a missing broker directory', (y: string) => y.replace(/broker:\n(  .*\n)+/, `broker:\n  kind: file-bridge\n  dir: ${join(work, 'no-such-dir')}\n`), 3, 'no-such-dir'],
    ])('%s', (_name, edit, code, needle) => {
      const journal = join(work, `bad-${Math.random().toString(36).slice(2)}.sqlite`);
      const r = ashare(work, ['run', '--config', config(`bad-${code}-${needle.replace(/\W/g, '')}`, edit), '--allow-plaintext', '--journal', journal, ...SIM]);
      expect(r.code, r.out).toBe(code);
      expect(r.err).toContain(needle);
      expect(existsSync(journal)).toBe(false);
    });

    it('a broker directory whose out/ cannot take files', () => {
      const dir = join(work, 'ro-bridge');
      mkdirSync(dir);
      writeFileSync(join(dir, 'out'), 'not a directory');
      const r = ashare(work, ['run', '--config', config('ro', (y) => y.replace(/broker:\n(  .*\n)+/, `broker:\n  kind: file-bridge\n  dir: ${dir}\n`)), '--allow-plaintext', '--journal', join(work, 'ro.sqlite'), ...SIM]);
      expect(r.code).toBe(3);
      expect(r.err).toContain(dir);
    });

    it.each([
      [['--clock', 'sim:yesterday'], '--clock'], [['--clock', 'sim:2022-01-04T08:00:00+08:00:fast'], 'speed'], [['--until', 'soon'], '--until'],
    ])('usage %j is exit 2', (args, needle) => {
      const r = ashare(work, ['run', '--config', config('usage'), '--allow-plaintext', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(needle);
    });

    it('a garbled positions.csv is journaled as an alert naming the line; the service goes on', () => {
      const bridge = join(work, 'garbled-bridge');
      mkdirSync(bridge);
      writeFileSync(join(bridge, 'positions.csv'), 'symbol,quantity,sellable_quantity,avg_cost\n600000.SH,12a,0,10.00\n');
      writeFileSync(join(bridge, 'account.csv'), 'cash,frozen_cash,total_asset\n1000000.00,0.00,1000000.00\n');
      const journal = join(work, 'garbled.sqlite');
      const cfg = config('garbled', (y) => y.replace(/broker:\n(  .*\n)+/, `broker:\n  kind: file-bridge\n  dir: ${bridge}\n`).replace('brokerTimeoutSeconds: 30', 'brokerTimeoutSeconds: 1'));
      const r = ashare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, ...SIM, '--until', '2022-01-06T16:00:00+08:00']);
      expect(r.code, r.err).toBe(0);
      const alerts = inspect(journal, 'AlertRaised').filter((e) => e.data['code'] === 'RECONCILIATION_UNAVAILABLE');
      expect(alerts).toHaveLength(3);
      expect(String(alerts[0]!.data['message'])).toMatch(/positions\.csv line 2/);
      expect(ashare(work, ['journal', 'verify', journal]).code).toBe(0);
    });
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ashare, repo, startAshare } from './serviceHarness.js';

// ashare run against the file-order bridge with a real terminal process (test/fixtures/fileTerminal.mjs)
// following the documented format: it accepts and fills, fills one order in part and expires the
// rest, rejects one with its own words, writes a malformed line, exits after a few orders and is
// restarted. The service must journal each answer once, reject the malformed line without stopping,
// reconcile cleanly with positions.csv/account.csv, and leave a journal that replays and audits clean.
const work = mkdtempSync(join(tmpdir(), 'ashare-bridge-'));
const bars = join(work, 'm.csv');
const instruments = join(work, 'm.instruments.csv');

/** Closes of one day per symbol from the canonical bar CSV, as CNY text (the terminal fills market orders there). */
function closesOn(day: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(bars, 'utf8').split('\n').slice(1)) {
    const f = line.split(',');
    if (f[1] === day) out[f[0]!] = f[5]!;
  }
  return out;
}

function config(name: string, bridge: string, extra = ''): string {
  const p = join(work, `${name}.yaml`);
  writeFileSync(p, readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
    .replace(/market:\n(  .*\n)+/, `market:\n  source: csv\n  bars: ${bars}\n  instruments: ${instruments}\n`)
    .replace(/broker:\n(  .*\n)+/, `broker:\n  kind: file-bridge\n  dir: ${bridge}\n`)
    .replace('brokerTimeoutSeconds: 30', 'brokerTimeoutSeconds: 8')
    .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`) + extra);
  return p;
}

function terminal(dir: string, script: object): ChildProcess {
  const s = join(dir, '..', `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(s, JSON.stringify(script));
  return spawn(process.execPath, [join(repo, 'test', 'fixtures', 'fileTerminal.mjs'), '--dir', dir, '--script', s], { stdio: 'ignore' });
}

const inspect = (journal: string, type: string) =>
  JSON.parse(ashare(work, ['journal', 'inspect', journal, '--json', '--type', type]).out).selected as { data: Record<string, unknown>; day: string }[];

/** Every answer line the terminal wrote, per clientOrderId and status. */
function answerLines(dir: string): string[][] {
  const inDir = join(dir, 'in');
  return readdirSync(inDir).filter((n) => n.endsWith('.csv')).flatMap((n) =>
    readFileSync(join(inDir, n), 'utf8').split('\n').slice(1).filter((l) => l.includes(',')).map((l) => l.split(',')));
}

describe('ashare run with the file-order bridge and a test terminal', () => {
  beforeAll(() => {
    expect(ashare(work, ['market', 'generate', '--symbols', '12', '--days', '60', '--seed', '5', '--out', bars]).code).toBe(0);
  }, 120_000);

  it('accepts, partially fills, rejects, survives a malformed line and a terminal restart; reconciles clean; replays and audits clean', async () => {
    const bridge = join(work, 'bridge');
    mkdirSync(bridge);
    const cfg = config('bridge', bridge);
    const journal = join(work, 'bridge.sqlite');
    const script = {
      prices: closesOn('2022-02-14'), cash: 1_000_000,
      actions: { '1': { do: 'partial', qty: 200, then: 'none' }, '2': { do: 'partial', qty: 100, then: 'expired' }, '3': { do: 'reject', message: '委托价格超出涨跌停范围, 拒绝' } },
      malformedAfter: 1, exitAfter: 2,
    };
    let term = terminal(bridge, script);
    let restarts = 0;
    const run = startAshare(work, ['run', '--config', cfg, '--allow-plaintext', '--journal', journal,
      '--clock', 'sim:2022-02-14T08:00:00+08:00:max', '--until', '2022-02-25T16:00:00+08:00']);
    let finished = false;
    const watch = (async () => {
      while (!finished) {
        await new Promise<void>((res) => { term.once('exit', () => res()); });
        if (finished) break;
        restarts++;
        term = terminal(bridge, { ...script, exitAfter: undefined, malformedAfter: undefined });
      }
    })();
    const exit = await run.done;
    finished = true;
    term.kill('SIGTERM');
    await watch;
    expect(exit.code, exit.err + exit.out).toBe(0);
    expect(restarts).toBeGreaterThanOrEqual(1);

    const submitted = inspect(journal, 'OrderSubmitted');
    expect(submitted.length).toBeGreaterThanOrEqual(3);
    const ids = submitted.map((e) => String(e.data['clientOrderId']));
    // One order file per order, never rewritten under another name; each order answered by one terminal session.
    expect(readdirSync(join(bridge, 'out')).filter((n) => n.endsWith('.order.csv')).sort()).toEqual(ids.map((id) => `${id}.order.csv`).sort());
    const lines = answerLines(bridge);
    for (const id of ids) expect(lines.filter((l) => l[0] === id && l[2] === 'accepted').length + lines.filter((l) => l[0] === id && l[2] === 'rejected').length).toBe(1);

    const rejected = inspect(journal, 'OrderRejected');
    expect(rejected.map((e) => e.data['details'])).toContain('委托价格超出涨跌停范围, 拒绝');
    expect(rejected.find((e) => e.data['details'] === '委托价格超出涨跌停范围, 拒绝')!.data['reason']).toBe('BROKER_ERROR');
    const fills = inspect(journal, 'OrderFilled');
    const partial = fills.find((e) => e.data['qty'] === 100 && Number(e.data['leavesQty']) > 0);
    expect(partial).toBeDefined();
    const expired = inspect(journal, 'OrderExpired');
    expect(expired.map((e) => e.data['orderId'])).toContain(partial!.data['orderId']);
    expect(expired.find((e) => e.data['orderId'] === partial!.data['orderId'])!.data['details']).toBe('当日有效委托已撤');
    // Order 1 was left working after the close: the service asked for its cancellation (journaled first), the terminal cancelled it.
    const asked = inspect(journal, 'OrderCancelRequested');
    expect(asked.map((e) => [e.data['clientOrderId'], e.data['reason']])).toEqual([[ids[0], 'END_OF_DAY']]);
    expect(existsSync(join(bridge, 'out', `${ids[0]}.cancel.csv`))).toBe(true);
    const cancelled = inspect(journal, 'OrderCancelled');
    expect(cancelled.map((e) => [e.data['orderId'], e.data['reason'], e.data['by']])).toEqual([[asked[0]!.data['orderId'], 'END_OF_DAY', 'broker']]);
    expect(inspect(journal, 'AlertRaised').map((e) => e.data['code'])).toContain('BROKER_TIMEOUT');
    // Each fill journaled once: cumulative answers re-read after a restart add nothing.
    expect(new Set(fills.map((e) => `${String(e.data['orderId'])}/${String(e.data['fillId'])}`)).size).toBe(fills.length);

    const bad = inspect(journal, 'BrokerMessageRejected');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.data).toMatchObject({ broker: 'file-bridge', raw: 'garbage,line' });
    expect(String(bad[0]!.data['source'])).toMatch(/^in\/answers-1\.csv line \d+$/);
    expect(inspect(journal, 'AlertRaised').map((e) => e.data['code'])).toContain('BROKER_MESSAGE_REJECTED');

    // The terminal's books and the journal agree every day.
    const passed = inspect(journal, 'ReconciliationPassed');
    expect(passed.length).toBe(10);
    expect(inspect(journal, 'ReconciliationBreak')).toHaveLength(0);

    expect(ashare(work, ['journal', 'verify', journal]).code).toBe(0);
    const replay = ashare(work, ['replay', '--journal', journal, '--all', '--json']);
    expect(replay.code, replay.out).toBe(0);
    const audit = ashare(work, ['audit', '--journal', journal, '--json']);
    expect(audit.code, audit.out).toBe(0);
    const status = JSON.parse(ashare(work, ['run', 'status', '--journal', journal, '--json']).out);
    expect(status).toMatchObject({ running: false, mode: 'paper', day: '2022-02-25', step: 'afterclose', tradingState: 'ACTIVE' });
    expect(status.lastReconciliation).toMatchObject({ day: '2022-02-25', result: 'passed' });
    const positions = readFileSync(join(bridge, 'positions.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(status.positions.map((p: { symbol: string; quantity: number }) => [p.symbol, String(p.quantity)])).toEqual(positions.map((p) => [p[0], p[1]]));
  }, 180_000);

  it('an order file written before a crash is asked about, not sent again; the terminal, started later, answers it once', async () => {
    const bridge = join(work, 'bridge-crash');
    mkdirSync(bridge);
    const cfg = config('bridge-crash', bridge);
    const journal = join(work, 'bridge-crash.sqlite');
    const args = ['run', '--config', cfg, '--allow-plaintext', '--journal', journal, '--clock', 'sim:2022-02-14T08:00:00+08:00:max'];
    // No terminal yet: the first order file is written, then the service is killed before it hears anything.
    const killed = ashare(work, [...args, '--until', '2022-02-25T16:00:00+08:00'], { ASHARE_CRASH_POINT: 'after-submit:1' });
    expect(killed.signal).toBe('SIGKILL');
    const written = readdirSync(join(bridge, 'out')).filter((n) => n.endsWith('.order.csv'));
    expect(written).toHaveLength(1);
    const first = written[0]!.replace('.order.csv', '');
    // Restarted with the terminal still down: the broker has the file but no answer (pending), so nothing is sent again.
    const pending = ashare(work, [...args, '--until', '2022-02-15T09:45:00+08:00']);
    expect(pending.code, pending.err + pending.out).toBe(0);
    expect(readdirSync(join(bridge, 'out')).filter((n) => n.startsWith(first))).toEqual([`${first}.order.csv`]);
    expect(inspect(journal, 'OrderResent').map((e) => e.data['clientOrderId'])).not.toContain(first);
    // No terminal has written positions.csv yet: the resume's reconciliation says it cannot compare, and the service goes on.
    expect(inspect(journal, 'AlertRaised').map((e) => e.data['code'])).toContain('RECONCILIATION_UNAVAILABLE');
    const term = terminal(bridge, { prices: closesOn('2022-02-14') });
    const done = ashare(work, [...args, '--until', '2022-02-25T16:00:00+08:00']);
    term.kill('SIGTERM');
    expect(done.code, done.err + done.out).toBe(0);
    const lines = answerLines(bridge);
    expect(lines.filter((l) => l[0] === first && (l[2] === 'accepted' || l[2] === 'rejected'))).toHaveLength(1);
    expect(inspect(journal, 'OrderResent').map((e) => e.data['clientOrderId'])).not.toContain(first);
    expect(existsSync(journal)).toBe(true);
    expect(ashare(work, ['replay', '--journal', journal, '--all']).code).toBe(0);
  }, 180_000);
});

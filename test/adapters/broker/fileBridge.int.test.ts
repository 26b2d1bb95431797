import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openFileBridge } from '../../../src/adapters/broker/fileBridge.js';
import type { BrokerMessageProblem, BrokerOrder, BrokerPort, OrderReport } from '../../../src/domain/ports/broker.js';

// Every rename the bridge makes, with what the source held at that moment: the final name is only
// ever reached by a rename of a complete, dot-named temporary file.
const renames = vi.hoisted(() => [] as { from: string; to: string; text: string; targetExisted: boolean }[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fs = await import('node:fs');
  return {
    ...real,
    rename: async (from: string, to: string) => {
      renames.push({ from, to, text: fs.readFileSync(from, 'utf8'), targetExisted: fs.existsSync(to) });
      return real.rename(from, to);
    },
  };
});

const TERMINAL = fileURLToPath(new URL('../../fixtures/fileTerminal.mjs', import.meta.url));
const T0 = Date.UTC(2024, 2, 1, 1, 30); // 2024-03-01T09:30:00+08:00
const T1 = Date.UTC(2024, 2, 4, 1, 30); // 2024-03-04T09:30:00+08:00, the next trading day
const ANSWER_HEADER = 'client_order_id,broker_order_id,status,filled_quantity,avg_price,fee,message,updated_at';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'file-bridge-'));
  dirs.push(d);
  return d;
}
function ok<T>(e: Either<unknown, T>): T {
  if (isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
}
function bridgeOn(dir: string): BrokerPort {
  return ok(openFileBridge({ dir }));
}
const order = (o: Partial<BrokerOrder> = {}): BrokerOrder => ({
  clientOrderId: 'R1-20240301-001', symbol: '600000.SH', side: 'buy', qty: 1000, priceType: 'limit', limitPriceMilli: 10_230,
  timeInForce: 'day', createdAt: T0, ...o,
});
const answers = (dir: string, name: string, lines: string[]) => writeFileSync(join(dir, 'in', name), lines.map((l) => `${l}\n`).join(''));

/** Polls from a remembered cursor, keeping everything seen, as the engine does. */
function reader(bridge: BrokerPort) {
  let cursor: string | null = null;
  const reports: OrderReport[] = [], problems: BrokerMessageProblem[] = [];
  return {
    reports, problems,
    async poll() {
      const p = ok(await bridge.poll(cursor));
      cursor = p.cursor;
      for (const r of p.reports) if (r.kind === 'order') reports.push(r);
      problems.push(...p.problems);
      return p;
    },
    of: (id: string) => reports.filter((r) => r.clientOrderId === id),
  };
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startTerminal(dir: string, script: object): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const scriptPath = join(dir, `script-${children.length}.json`);
  writeFileSync(scriptPath, JSON.stringify(script));
  const child = spawn(process.execPath, [TERMINAL, '--dir', dir, '--script', scriptPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, exited };
}
const isDone = (r: OrderReport) => ['filled', 'rejected', 'expired', 'cancelled'].includes(r.status);

describe('file bridge: orders out', () => {
  it('writes the order file byte for byte, through a complete dot-named temporary file', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    renames.length = 0;
    ok(await b.submit(order()));
    ok(await b.submit(order({ clientOrderId: 'M-2', symbol: '000001.SZ', side: 'sell', qty: 300, priceType: 'market', limitPriceMilli: null })));
    ok(await b.submit(order({ clientOrderId: 'L-3', limitPriceMilli: 10_235, createdAt: T0 + 59_999 })));
    ok(await b.submit(order({ clientOrderId: 'L-4', limitPriceMilli: 10_000 })));
    const head = 'client_order_id,symbol,side,quantity,price_type,limit_price,created_at\n';
    const expected: Record<string, string> = {
      'R1-20240301-001.order.csv': `${head}R1-20240301-001,600000.SH,buy,1000,limit,10.23,2024-03-01T09:30:00+08:00\n`,
      'M-2.order.csv': `${head}M-2,000001.SZ,sell,300,market,,2024-03-01T09:30:00+08:00\n`,
      'L-3.order.csv': `${head}L-3,600000.SH,buy,1000,limit,10.235,2024-03-01T09:30:59+08:00\n`,
      'L-4.order.csv': `${head}L-4,600000.SH,buy,1000,limit,10.00,2024-03-01T09:30:00+08:00\n`,
    };
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) expect(readFileSync(join(dir, 'out', name), 'utf8')).toBe(text);
    expect(renames.map((r) => [basename(r.from), basename(r.to)])).toEqual(Object.keys(expected).map((n) => [`.${n}.tmp`, n]));
    for (const r of renames) {
      expect(r.text).toBe(expected[basename(r.to)]);
      expect(r.targetExisted).toBe(false);
    }
  });

  it('refuses a duplicate clientOrderId, whether its file is there or only an answer names it', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    ok(await b.submit(order()));
    const again = await b.submit(order({ qty: 500 }));
    expect(isLeft(again) && again.left.code).toBe('BROKER_DUPLICATE_ORDER');
    expect(readFileSync(join(dir, 'out', 'R1-20240301-001.order.csv'), 'utf8')).toContain(',1000,');
    answers(dir, 'answers-1.csv', [ANSWER_HEADER, 'GONE-1,B1,filled,100,10.00,5.00,,']);
    const named = await b.submit(order({ clientOrderId: 'GONE-1' }));
    expect(isLeft(named) && named.left.code).toBe('BROKER_DUPLICATE_ORDER');
    expect(existsSync(join(dir, 'out', 'GONE-1.order.csv'))).toBe(false);
  });

  it('refuses ids that are not safe file names and orders that make no sense', async () => {
    const b = bridgeOn(tempDir());
    for (const bad of [order({ clientOrderId: '../evil' }), order({ clientOrderId: 'x'.repeat(33) }), order({ symbol: '600000' }),
      order({ qty: 0 }), order({ limitPriceMilli: null }), order({ priceType: 'market' })]) {
      const r = await b.submit(bad);
      expect(isLeft(r) && r.left.code).toBe('BROKER_REFUSED');
    }
  });

  it('cancels with its own file, once; an order never handed over cannot be cancelled', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    ok(await b.submit(order()));
    ok(await b.cancel('R1-20240301-001', T0 + 1000));
    const text = 'client_order_id,created_at\nR1-20240301-001,2024-03-01T09:30:01+08:00\n';
    expect(readFileSync(join(dir, 'out', 'R1-20240301-001.cancel.csv'), 'utf8')).toBe(text);
    ok(await b.cancel('R1-20240301-001', T0 + 5000));
    expect(readFileSync(join(dir, 'out', 'R1-20240301-001.cancel.csv'), 'utf8')).toBe(text);
    const unknown = await b.cancel('NOPE', T0);
    expect(isLeft(unknown) && unknown.left.code).toBe('BROKER_REFUSED');
  });
});

describe('file bridge: opening', () => {
  it('creates out/ and in/ in an existing directory', () => {
    const dir = tempDir();
    expect(isRight(openFileBridge({ dir }))).toBe(true);
    expect(existsSync(join(dir, 'out')) && existsSync(join(dir, 'in'))).toBe(true);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
    expect(ok(openFileBridge({ dir, name: 'qmt-1' })).name).toBe('qmt-1');
    expect(ok(openFileBridge({ dir })).external).toBe(true);
  });

  it('is unavailable on a missing directory, naming it', () => {
    const missing = join(tempDir(), 'nope');
    const r = openFileBridge({ dir: missing });
    expect(isLeft(r) && r.left).toEqual({ code: 'BROKER_UNAVAILABLE', message: `broker directory ${missing} does not exist` });
  });

  it('is unavailable when out/ cannot take files (here: out is a regular file, which stops root too)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out'), 'not a directory');
    const r = openFileBridge({ dir });
    expect(isLeft(r) && r.left.code).toBe('BROKER_UNAVAILABLE');
    expect(isLeft(r) && r.left.message).toMatch(new RegExp(`${join(dir, 'out').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not writable \\(E[A-Z]+\\)`));
  });
});

describe('file bridge: answers in', () => {
  it('reads complete lines only, from its cursor, and picks up new files', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    const file = join(dir, 'in', 'answers-1.csv');
    writeFileSync(file, `${ANSWER_HEADER}\r\nA-1,B1,accepted,0,,,,2024-03-01 09:30:00\r\nA-1,B1,fill`);
    const first = ok(await b.poll(null));
    expect(first.problems).toEqual([]);
    expect(first.reports).toEqual([{ kind: 'order', clientOrderId: 'A-1', brokerOrderId: 'B1', status: 'accepted', filledQty: 0, filledNotionalFen: 0, feeFen: 0, message: '', at: T0, lastFill: null, reason: null }]);
    const idle = ok(await b.poll(first.cursor));
    expect(idle.reports).toEqual([]);
    expect(idle.cursor).toBe(first.cursor);
    appendFileSync(file, 'ed,300,10.235,5.00,"成交, 部分""确认""",2024-03-01T09:31:00+08:00\n');
    const second = ok(await b.poll(first.cursor));
    expect(second.reports).toMatchObject([{ clientOrderId: 'A-1', status: 'filled', filledQty: 300, filledNotionalFen: 307_050, feeFen: 500, message: '成交, 部分"确认"', at: T0 + 60_000 }]);
    expect(ok(await b.poll(second.cursor)).reports).toEqual([]);
    answers(dir, 'answers-2.csv', [ANSWER_HEADER, 'A-2,,rejected,0,,,资金不足,']);
    const third = ok(await b.poll(second.cursor));
    expect(third.reports).toMatchObject([{ clientOrderId: 'A-2', brokerOrderId: null, status: 'rejected', message: '资金不足', at: null }]);
    // From the start again, everything comes back: the engine, not the adapter, drops what it already holds.
    expect(ok(await b.poll(null)).reports.length).toBe(3);
  });

  it('turns every kind of malformed line into a problem naming file and line, and goes on reading', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    const bad = [
      ['garbage,line', /8 fields/],
      ['X-1,B,done,0,,,,', /status "done"/],
      ['X-1,B,filled,-100,10.00,5,,', /filled_quantity "-100"/],
      ['X-1,B,filled,1.5,10.00,5,,', /filled_quantity "1.5"/],
      ['X-1,B,filled,100,10.2.3,5,,', /avg_price "10.2.3"/],
      ['X-1,B,filled,100,,5,,', /avg_price ""/],
      ['X-1,B,filled,100,10.00,5.001,,', /fee "5.001"/],
      ['X-1,B,filled,100,10.00,5,,2024-13-01 09:30:00', /updated_at "2024-13-01 09:30:00"/],
      ['X-1,B,filled,0,,,,', /filled_quantity 0/],
      ['bad id!,B,accepted,0,,,,', /client_order_id "bad id!"/],
      ['X-1,B,accepted,0,,,"unclosed,', /quoted field/],
      [`X-1,B,rejected,0,,,${'长'.repeat(800)},,extra`, /found 9/], // long: its raw text is cut to 500 characters
    ] as const;
    const lines = [ANSWER_HEADER, 'G-1,B1,accepted,0,,,,', ...bad.map(([l]) => l), 'G-2,B2,filled,200,9.99,5,,'];
    answers(dir, 'fills-1.csv', lines);
    const p = ok(await b.poll(null));
    expect(p.reports.map((r) => r.kind === 'order' && r.clientOrderId)).toEqual(['G-1', 'G-2']);
    expect(p.problems.map((x) => x.source)).toEqual(bad.map((_, i) => `in/fills-1.csv line ${i + 3}`));
    bad.forEach(([, reason], i) => expect(p.problems[i]!.reason).toMatch(reason));
    expect(p.problems[0]!.raw).toBe('garbage,line');
    expect(p.problems[bad.length - 1]!.raw.length).toBe(500);
    expect(ok(await b.poll(p.cursor)).problems).toEqual([]);
  });

  it('reports a file with a wrong header once and reads none of it, until the file is replaced', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    answers(dir, 'other.csv', ['id,status', 'A-1,B1,accepted,0,,,,']);
    answers(dir, 'answers-1.csv', [ANSWER_HEADER, 'A-2,B2,accepted,0,,,,']);
    const p = ok(await b.poll(null));
    expect(p.reports.map((r) => r.kind === 'order' && r.clientOrderId)).toEqual(['A-2']);
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatchObject({ source: 'in/other.csv line 1', raw: 'id,status' });
    expect(p.problems[0]!.reason).toContain('header');
    appendFileSync(join(dir, 'in', 'other.csv'), 'A-3,B3,accepted,0,,,,\n');
    const q = ok(await b.poll(p.cursor));
    expect(q.reports).toEqual([]);
    expect(q.problems).toEqual([]);
    expect(ok(await b.poll(q.cursor))).toEqual({ reports: [], problems: [], cursor: q.cursor });
    answers(dir, 'other.csv', [ANSWER_HEADER, 'A-4,B4,accepted,0,,,,']);
    const r = ok(await b.poll(q.cursor));
    expect(r.problems).toEqual([]);
    expect(r.reports.map((x) => x.kind === 'order' && x.clientOrderId)).toEqual(['A-4']);
    // Shrunk below the cursor, the refused file is read again from the start and refused again.
    answers(dir, 'other.csv', ['x']);
    const s = ok(await b.poll(r.cursor));
    expect(s.problems.map((x) => x.source)).toEqual(['in/other.csv', 'in/other.csv line 1']);
    expect(s.problems[0]!.reason).toMatch(/shorter/);
  });

  it('re-reads a file that shrank below its cursor, saying so once', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    answers(dir, 'answers-1.csv', [ANSWER_HEADER, 'A-1,B1,accepted,0,,,,', 'A-1,B1,filled,100,10.00,5,,']);
    const p = ok(await b.poll(null));
    expect(p.reports).toHaveLength(2);
    answers(dir, 'answers-1.csv', [ANSWER_HEADER, 'A-9,B9,accepted,0,,,,']);
    const q = ok(await b.poll(p.cursor));
    expect(q.problems).toHaveLength(1);
    expect(q.problems[0]!.reason).toMatch(/in\/answers-1\.csv .*shorter/);
    expect(q.reports.map((r) => r.kind === 'order' && r.clientOrderId)).toEqual(['A-9']);
    expect(ok(await b.poll(q.cursor)).problems).toEqual([]);
  });

  it('refuses a cursor it did not write', async () => {
    const r = await bridgeOn(tempDir()).poll('{"answers-1.csv":12}');
    expect(isLeft(r) && r.left.code).toBe('BROKER_REFUSED');
  });

  it('answers queryOrder unknown, pending and reported (the latest over all files), and queryOrders per id', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    expect(ok(await b.queryOrder('R1-20240301-001'))).toEqual({ state: 'unknown' });
    ok(await b.submit(order()));
    expect(ok(await b.queryOrder('R1-20240301-001'))).toEqual({ state: 'pending' });
    answers(dir, 'answers-1.csv', [ANSWER_HEADER, 'R1-20240301-001,B1,accepted,0,,,,', 'Z-1,B2,rejected,0,,,no,', 'garbage']);
    answers(dir, 'answers-2.csv', [ANSWER_HEADER, 'R1-20240301-001,B1,partially_filled,400,10.23,5,,']);
    // Cursor-independent: a poll that consumed everything does not hide the state.
    ok(await b.poll(null));
    expect(ok(await b.queryOrder('R1-20240301-001'))).toMatchObject({ state: 'reported', report: { status: 'partially_filled', filledQty: 400, filledNotionalFen: 409_200 } });
    expect(ok(await b.queryOrders()).map((r) => [r.clientOrderId, r.status])).toEqual([['R1-20240301-001', 'partially_filled'], ['Z-1', 'rejected']]);
  });
});

describe('file bridge: positions and account', () => {
  it('reads good files into integers', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    writeFileSync(join(dir, 'positions.csv'), 'symbol,quantity,sellable_quantity,avg_cost\n600000.SH,1000,600,10.2345\n000001.SZ,200,200,\n');
    writeFileSync(join(dir, 'account.csv'), 'cash,frozen_cash,total_asset\r\n98765.43,100,110000.5\r\n');
    expect(ok(await b.queryPositions())).toEqual([
      { symbol: '600000.SH', quantity: 1000, sellableQuantity: 600, avgCostMilli: 10_235 },
      { symbol: '000001.SZ', quantity: 200, sellableQuantity: 200, avgCostMilli: null },
    ]);
    expect(ok(await b.queryAccount())).toEqual({ cashFen: 9_876_543, frozenCashFen: 10_000, totalAssetFen: 11_000_050 });
  });

  it('is unavailable when the files are missing', async () => {
    const b = bridgeOn(tempDir());
    for (const r of [await b.queryPositions(), await b.queryAccount()]) expect(isLeft(r) && r.left.code).toBe('BROKER_UNAVAILABLE');
  });

  it('calls a garbled file a bad answer naming the file and line', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    const cases: [string, string, string][] = [
      ['positions.csv', 'symbol,quantity,sellable_quantity,avg_cost\n600000.SH,100,100,10\n000001.SZ,12a,0,\n', 'positions.csv line 3: quantity "12a" is not a whole number'],
      ['positions.csv', 'symbol,quantity,sellable_quantity,avg_cost\n600000.SH,100,200,10\n', 'positions.csv line 2: sellable_quantity 200 exceeds quantity 100'],
      ['positions.csv', 'symbol,quantity,sellable_quantity,avg_cost\n600000.SH,100,100,10\n600000.SH,100,100,10\n', 'positions.csv line 3: symbol 600000.SH appears a second time'],
      ['positions.csv', 'symbol,qty\n', 'positions.csv line 1: the header is "symbol,qty" but must be "symbol,quantity,sellable_quantity,avg_cost"'],
      ['account.csv', 'cash,frozen_cash,total_asset\n1.234,0,0\n', 'account.csv line 2: cash "1.234" is not a non-negative CNY amount with at most 2 decimals'],
      ['account.csv', 'cash,frozen_cash,total_asset\n', 'account.csv line 2: the data row is missing'],
      ['account.csv', 'cash,frozen_cash,total_asset\n1,0,1\n2,0,2\n', 'account.csv line 3: only one data row is allowed'],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(dir, name), text);
      const r = name === 'account.csv' ? await b.queryAccount() : await b.queryPositions();
      expect(isLeft(r) && r.left).toEqual({ code: 'BROKER_BAD_ANSWER', message });
    }
  });
});

describe('file bridge with the test terminal', () => {
  it('is accepted and filled; positions.csv and account.csv follow the fills, sellable held back for shares bought today', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    const { child, exited } = startTerminal(dir, { prices: { '600000.SH': '10.23' }, cash: 100_000 });
    const r = reader(b);
    ok(await b.submit(order({ clientOrderId: 'D1-BUY', priceType: 'market', limitPriceMilli: null })));
    ok(await b.submit(order({ clientOrderId: 'D1-BUY2', symbol: '000001.SZ', qty: 500, limitPriceMilli: 12_345 })));
    await waitFor('two fills', async () => { await r.poll(); return r.reports.filter((x) => x.status === 'filled').length === 2; });
    ok(await b.submit(order({ clientOrderId: 'D2-SELL', side: 'sell', qty: 400, priceType: 'market', limitPriceMilli: null, createdAt: T1 })));
    ok(await b.submit(order({ clientOrderId: 'D2-BUY', qty: 200, limitPriceMilli: 10_500, createdAt: T1 })));
    await waitFor('four fills', async () => { await r.poll(); return r.reports.filter((x) => x.status === 'filled').length === 4; });
    expect(r.problems).toEqual([]);
    expect(r.of('D1-BUY').map((x) => x.status)).toEqual(['accepted', 'filled']);
    expect(r.of('D1-BUY')[1]).toMatchObject({ filledQty: 1000, filledNotionalFen: 1_023_000, feeFen: 500, at: T0 });
    expect(r.of('D1-BUY2')[1]).toMatchObject({ filledQty: 500, filledNotionalFen: 617_250, at: T0 });
    // stamp duty on the sale: 409,200 fen × 0.05% = 205 fen on top of the 5-CNY minimum commission
    expect(r.of('D2-SELL')[1]).toMatchObject({ filledQty: 400, filledNotionalFen: 409_200, feeFen: 705, at: T1 });

    const sides = new Map([['D1-BUY', 1], ['D1-BUY2', 1], ['D2-SELL', -1], ['D2-BUY', 1]]);
    const final = r.reports.filter((x) => x.status === 'filled');
    const cash = final.reduce((c, x) => c - sides.get(x.clientOrderId)! * x.filledNotionalFen - x.feeFen, 100_000_00);
    await waitFor('account.csv after the last fill', async () => { const a = await b.queryAccount(); return isRight(a) && a.right.cashFen === cash; });
    const positions = ok(await b.queryPositions());
    expect(positions.map((p) => [p.symbol, p.quantity, p.sellableQuantity])).toEqual([['000001.SZ', 500, 500], ['600000.SH', 800, 600]]);
    expect(positions.find((p) => p.symbol === '000001.SZ')!.avgCostMilli).toBe(Math.round((617_250 + 500) * 10 / 500));
    child.kill('SIGTERM');
    expect(await exited).toMatchObject({ code: 0, signal: null, stderr: '' });
  });

  it('fills in part then expires, rejects with its words verbatim, cancels a working order, and writes a malformed line', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    const script = {
      actions: {
        'P-1': { do: 'partial', qty: 300 },
        'J-2': { do: 'reject', message: '资金不足, 请"核对"' },
        'W-3': { do: 'partial', qty: 100, then: 'none' },
        '4': { do: 'ignore' },
      },
      malformedAfter: 2,
    };
    startTerminal(dir, script);
    const r = reader(b);
    for (const id of ['P-1', 'J-2', 'W-3', 'X-4']) ok(await b.submit(order({ clientOrderId: id })));
    await waitFor('three answered orders', async () => { await r.poll(); return r.of('P-1').some(isDone) && r.of('J-2').some(isDone) && r.of('W-3').some((x) => x.status === 'partially_filled'); });
    expect(r.of('P-1').map((x) => [x.status, x.filledQty])).toEqual([['accepted', 0], ['partially_filled', 300], ['expired', 300]]);
    expect(r.of('P-1')[2]!.filledNotionalFen).toBe(306_900);
    expect(r.of('J-2').map((x) => [x.status, x.message])).toEqual([['rejected', '资金不足, 请"核对"']]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ source: expect.stringMatching(/^in\/answers-1\.csv line \d+$/), raw: 'garbage,line' });
    ok(await b.cancel('W-3', T0 + 1000));
    ok(await b.cancel('X-4', T0 + 1000));
    await waitFor('the cancel', async () => { await r.poll(); return r.of('W-3').some(isDone); });
    expect(r.of('W-3').at(-1)).toMatchObject({ status: 'cancelled', filledQty: 100, filledNotionalFen: 102_300 });
    expect(r.of('X-4')).toEqual([]);
    expect(ok(await b.queryOrder('X-4'))).toEqual({ state: 'pending' });
  });

  it('exits after N orders and, restarted, answers only the orders it had not answered', async () => {
    const dir = tempDir();
    const b = bridgeOn(dir);
    const ids = ['Q-1', 'Q-2', 'Q-3', 'Q-4', 'Q-5'];
    for (const id of ids) ok(await b.submit(order({ clientOrderId: id, qty: 100 })));
    const first = startTerminal(dir, { exitAfter: 2 });
    expect(await first.exited).toMatchObject({ code: 0, stderr: '' });
    const r = reader(b);
    await r.poll();
    expect([...new Set(r.reports.map((x) => x.clientOrderId))]).toEqual(['Q-1', 'Q-2']);
    // Without its state file the terminal must know what it did from its answer files alone (a crash before saving).
    rmSync(join(dir, '.terminal-state.json'));
    const second = startTerminal(dir, { exitAfter: 3 });
    expect(await second.exited).toMatchObject({ code: 0, stderr: '' });
    await r.poll();
    expect(r.problems).toEqual([]);
    for (const id of ids) expect(r.of(id).map((x) => x.status), id).toEqual(['accepted', 'filled']);
    // Each order is answered in exactly one file: the first session's or the restart's own new one.
    const files = readdirSync(join(dir, 'in')).sort();
    expect(files).toEqual(['answers-1.csv', 'answers-2.csv']);
    const idsIn = (f: string) => new Set(readFileSync(join(dir, 'in', f), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]));
    expect([...idsIn('answers-1.csv')]).toEqual(['Q-1', 'Q-2']);
    expect([...idsIn('answers-2.csv')]).toEqual(['Q-3', 'Q-4', 'Q-5']);
    // A third start finds nothing new to do and leaves positions as the fills made them.
    const third = startTerminal(dir, {});
    await waitFor('the third session to start', () => existsSync(join(dir, 'in', 'answers-3.csv')));
    third.child.kill('SIGTERM');
    expect(await third.exited).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, 'in', 'answers-3.csv'), 'utf8')).toBe(`${ANSWER_HEADER}\n`);
    expect(ok(await b.queryPositions())).toMatchObject([{ symbol: '600000.SH', quantity: 500, sellableQuantity: 0 }]);
    const spent = r.reports.filter((x) => x.status === 'filled').reduce((s, x) => s + x.filledNotionalFen + x.feeFen, 0);
    expect(ok(await b.queryAccount()).cashFen).toBe(1_000_000_00 - spent);
  });
});

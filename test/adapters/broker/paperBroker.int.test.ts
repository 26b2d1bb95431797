import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerError, BrokerOrder, BrokerPort, DayBars, OrderReport, TradingDay } from '../../../src/domain/index.js';
import { DEFAULT_SCHEDULE, rateFromFraction, stepTime } from '../../../src/domain/index.js';
import { createPaperBroker, type PaperBrokerOptions } from '../../../src/adapters/broker/paperBroker.js';
import { memoryPaperLog, openPaperLog, type PaperLog } from '../../../src/adapters/broker/paperBrokerLog.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';

// The paper broker through the broker port, on a hand-made three-day market (Mon 2024-03-04 …
// Wed 03-06, 600000.SH opening at 10.000, 10.100, 10.200 CNY) and a clock the test sets.

const loaded = loadMarketRules('config/market');
if (!isRight(loaded)) throw new Error('config/market does not load');
const rules = loaded.right;

const SYM = '600000.SH';
const D1 = '2024-03-04', D2 = '2024-03-05', D3 = '2024-03-06';
const bar = (day: string, open: number): DayBars => ({
  day, symbols: [SYM], open: [open], high: [open + 200], low: [open - 200], close: [open + 100], volume: [5_000_000],
  amountFen: [open * 500_000], preClose: [open - 100], isSt: [0],
});
const MARKET = [bar(D1, 10_000), bar(D2, 10_100), bar(D3, 10_200)];
const INITIAL_CASH = 10_000_000; // 100,000 CNY
const at = (iso: string): number => Date.parse(iso);
const closeOf = (day: string): number => stepTime(day as TradingDay, 'close', DEFAULT_SCHEDULE);

const dirs: string[] = [];
const brokers: BrokerPort[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'paper-broker-'));
  dirs.push(d);
  return d;
}
function ok<T>(e: Either<unknown, T>): T {
  if (isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
}
function err<T>(e: Either<BrokerError, T>): BrokerError {
  if (!isLeft(e)) throw new Error(`expected Left, got ${JSON.stringify(e.right)}`);
  return e.left;
}

/** A clock the test moves. */
const clockAt = (iso: string) => {
  let t = at(iso);
  return { now: () => t, set: (s: string) => { t = at(s); } };
};

function options(clock: { now: () => number }, o: Partial<PaperBrokerOptions> = {}, market: readonly DayBars[] = MARKET): PaperBrokerOptions {
  return {
    rules, account: { commissionRate: rateFromFraction(0.00025), minCommissionFen: 500, regulatoryFeesInsideCommission: true },
    execution: { marketPrice: 'open', participation: 1, slippage: { kind: 'none' } },
    initialCashFen: INITIAL_CASH, fromDay: D1 as TradingDay, marketDays: () => market.map((d) => d.day),
    barsOf: (day) => market.find((d) => d.day === day), clock, closeAt: closeOf, ...o,
  };
}
async function open(clock: { now: () => number }, log: PaperLog = memoryPaperLog(), o: Partial<PaperBrokerOptions> = {}, market?: readonly DayBars[]): Promise<BrokerPort> {
  const b = ok(await createPaperBroker(options(clock, o, market), log));
  brokers.push(b);
  return b;
}
const order = (clientOrderId: string, side: 'buy' | 'sell', qty: number, createdAt: number): BrokerOrder => ({
  clientOrderId, symbol: SYM, side, qty, priceType: 'market', limitPriceMilli: null, timeInForce: 'day', createdAt,
});
const orderReports = async (b: BrokerPort, cursor: string | null = null): Promise<OrderReport[]> =>
  ok(await b.poll(cursor)).reports.filter((r): r is OrderReport => r.kind === 'order');

/** The fees the dated tables charge for one fill, as the journal splits them. */
function feesOf(side: 'buy' | 'sell', day: string, notionalFen: number) {
  const f = rules.fees({
    side, symbol: SYM as never, day: day as TradingDay, notionalFen,
    account: { commissionRate: rateFromFraction(0.00025), minCommissionFen: 500, regulatoryFeesInsideCommission: true }, previousRawCommissionFen: null,
  });
  return { commissionFen: f.commissionFen, stampDutyFen: f.stampDutyFen, transferFeeFen: f.transferFeeFen, otherFeesFen: f.handlingFeeFen + f.regulatoryFeeFen };
}

describe('paper broker', () => {
  it('acknowledges an order at once and settles nothing before the day\'s close', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = await open(clock);
    expect(isRight(await b.submit(order('C-1', 'buy', 1000, clock.now())))).toBe(true);
    const first = ok(await b.poll(null));
    expect(first.reports).toEqual([{
      kind: 'order', clientOrderId: 'C-1', brokerOrderId: 'SIM-C-1', status: 'accepted', filledQty: 0, filledNotionalFen: 0, feeFen: 0,
      message: 'accepted', at: clock.now(), lastFill: null, reason: null,
    }]);
    expect(ok(await b.queryOrder('C-1'))).toEqual({ state: 'reported', report: first.reports[0] });
    clock.set('2024-03-04T14:59:59.999+08:00');
    expect(ok(await b.poll(first.cursor)).reports).toEqual([]);
    expect(ok(await b.queryPositions())).toEqual([]);
    expect(ok(await b.queryAccount())).toEqual({ cashFen: INITIAL_CASH, frozenCashFen: 0, totalAssetFen: INITIAL_CASH });
  });

  it('after the close: the fill itemised with its fees split, and positions and cash that reflect it (T+1)', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = await open(clock);
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    const { cursor } = ok(await b.poll(null));
    clock.set('2024-03-04T15:00:00+08:00'); // the close itself settles the day
    const [filled, ...more] = await orderReports(b, cursor);
    expect(more).toEqual([]);
    const fees = feesOf('buy', D1, 1_000_000);
    expect(fees.commissionFen).toBe(500); // 0.025% of 10,000 CNY is below the 5 CNY minimum
    const feeFen = fees.commissionFen + fees.stampDutyFen + fees.transferFeeFen + fees.otherFeesFen;
    expect(filled).toEqual({
      kind: 'order', clientOrderId: 'C-1', brokerOrderId: 'SIM-C-1', status: 'filled', filledQty: 1000, filledNotionalFen: 1_000_000, feeFen,
      message: 'filled', at: at('2024-03-04T09:30:00+08:00'), reason: null,
      lastFill: { fillId: 'C-1-2024-03-04', day: D1, qty: 1000, priceMilli: 10_000, notionalFen: 1_000_000, ...fees },
    });
    expect(ok(await b.queryOrder('C-1'))).toEqual({ state: 'reported', report: filled });
    const cash = INITIAL_CASH - 1_000_000 - feeFen;
    expect(ok(await b.queryAccount())).toMatchObject({ cashFen: cash, frozenCashFen: 0 });
    // Bought today: none sellable until the next trading day.
    expect(ok(await b.queryPositions())).toEqual([{ symbol: SYM, quantity: 1000, sellableQuantity: 0, avgCostMilli: Math.round(((1_000_000 + feeFen) * 10) / 1000) }]);
    clock.set('2024-03-05T15:00:00+08:00');
    expect(ok(await b.queryPositions())).toEqual([expect.objectContaining({ quantity: 1000, sellableQuantity: 1000 })]);
    // Marked at the second day's close (10.200 CNY).
    expect(ok(await b.queryAccount())).toEqual({ cashFen: cash, frozenCashFen: 0, totalAssetFen: cash + 1_020_000 });
  });

  it('a sell pays stamp duty, split out in the itemised fill, and credits the proceeds net of fees', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = await open(clock);
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    clock.set('2024-03-05T16:00:00+08:00'); // two days settled: the shares are sellable on the third
    const cashBefore = ok(await b.queryAccount()).cashFen;
    const { cursor } = ok(await b.poll(null));
    ok(await b.submit(order('C-2', 'sell', 1000, clock.now())));
    clock.set('2024-03-06T15:00:00+08:00');
    const reports = await orderReports(b, cursor);
    expect(reports.map((r) => [r.clientOrderId, r.status])).toEqual([['C-2', 'accepted'], ['C-2', 'filled']]);
    const fees = feesOf('sell', D3, 1_020_000);
    expect(fees.stampDutyFen).toBeGreaterThan(0);
    expect(reports[1]!.lastFill).toEqual({ fillId: 'C-2-2024-03-06', day: D3, qty: 1000, priceMilli: 10_200, notionalFen: 1_020_000, ...fees });
    const feeFen = fees.commissionFen + fees.stampDutyFen + fees.transferFeeFen + fees.otherFeesFen;
    expect(reports[1]!.feeFen).toBe(feeFen);
    expect(ok(await b.queryAccount()).cashFen).toBe(cashBefore + 1_020_000 - feeFen);
    expect(ok(await b.queryPositions())).toEqual([]);
  });

  it('refuses a clientOrderId it already holds, records the attempt as a duplicate, and fills the order once', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const log = memoryPaperLog();
    const b = await open(clock, log);
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    const again = err(await b.submit(order('C-1', 'buy', 2000, clock.now())));
    expect(again.code).toBe('BROKER_DUPLICATE_ORDER');
    expect(again.message).toContain('C-1');
    expect(log.entries().filter((e) => e.kind === 'submit').map((e) => e.kind === 'submit' && [e.order.qty, e.duplicate])).toEqual([[1000, false], [2000, true]]);
    clock.set('2024-03-04T15:00:00+08:00');
    expect((await orderReports(b)).map((r) => [r.status, r.filledQty])).toEqual([['accepted', 0], ['filled', 1000]]);
    expect(ok(await b.queryPositions())[0]!.quantity).toBe(1000);
  });

  it('queryOrder: unknown for an id it never received', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = await open(clock);
    expect(ok(await b.queryOrder('C-404'))).toEqual({ state: 'unknown' });
    expect(ok(await b.queryOrders())).toEqual([]);
    ok(await b.submit(order('C-1', 'buy', 100, clock.now())));
    expect(ok(await b.queryOrders()).map((r) => [r.clientOrderId, r.status])).toEqual([['C-1', 'accepted']]);
  });

  it('polling from the cursor it returned gives nothing new; from null, everything again', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = await open(clock);
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    clock.set('2024-03-04T15:30:00+08:00');
    const all = ok(await b.poll(null));
    expect(all.reports).toHaveLength(2);
    const next = ok(await b.poll(all.cursor));
    expect(next).toEqual({ reports: [], problems: [], cursor: all.cursor });
    expect(ok(await b.poll(null)).reports).toEqual(all.reports);
  });

  it('never settles days before fromDay, even once their close has passed', async () => {
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = await open(clock, memoryPaperLog(), { fromDay: D2 as TradingDay });
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    clock.set('2024-03-04T18:00:00+08:00');
    expect((await orderReports(b)).map((r) => r.status)).toEqual(['accepted']);
    expect(ok(await b.queryPositions())).toEqual([]);
    clock.set('2024-03-05T15:00:00+08:00');
    const reports = await orderReports(b);
    expect(reports.map((r) => r.status)).toEqual(['accepted', 'filled']);
    expect(reports[1]!.lastFill).toMatchObject({ day: D2, priceMilli: 10_100 });
  });
});

describe('paper broker file (durability)', () => {
  it('is created 0600; closed and reopened it gives the same reports, positions and cash, and settles an order sent before', async () => {
    const path = join(tempDir(), 'paper.db');
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = ok(await createPaperBroker(options(clock), ok(openPaperLog(path, undefined))));
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    clock.set('2024-03-05T09:30:00+08:00');
    ok(await b.submit(order('C-2', 'buy', 500, clock.now()))); // works on 03-05, not settled yet
    const reports = ok(await b.poll(null));
    const positions = ok(await b.queryPositions()), account = ok(await b.queryAccount());
    expect(reports.reports.map((r) => r.kind === 'order' && [r.clientOrderId, r.status])).toEqual([['C-1', 'accepted'], ['C-1', 'filled'], ['C-2', 'accepted']]);
    await b.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const again = await open(clock, ok(openPaperLog(path, undefined)));
    expect(ok(await again.poll(null))).toEqual(reports);
    expect(ok(await again.queryPositions())).toEqual(positions);
    expect(ok(await again.queryAccount())).toEqual(account);
    expect(ok(await again.queryOrder('C-2'))).toMatchObject({ state: 'reported', report: { status: 'accepted' } });
    clock.set('2024-03-05T15:00:00+08:00');
    const after = await orderReports(again, reports.cursor);
    expect(after.map((r) => [r.clientOrderId, r.status, r.filledQty])).toEqual([['C-2', 'filled', 500]]);
    expect(ok(await again.queryPositions())[0]!.quantity).toBe(1500);
  });

  it('reopened, it still refuses a clientOrderId it took before the restart', async () => {
    const path = join(tempDir(), 'paper.db');
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = ok(await createPaperBroker(options(clock), ok(openPaperLog(path, undefined))));
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    await b.close();
    const again = await open(clock, ok(openPaperLog(path, undefined)));
    expect(err(await again.submit(order('C-1', 'buy', 1000, clock.now()))).code).toBe('BROKER_DUPLICATE_ORDER');
  });

  it('an encrypted file cannot be opened without its key', async () => {
    const dir = tempDir();
    const path = join(dir, 'paper.db'), keyPath = join(dir, 'paper.key');
    writeFileSync(keyPath, `${'3f'.repeat(32)}\n`, { mode: 0o600 });
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = ok(await createPaperBroker(options(clock), ok(openPaperLog(path, { kind: 'keyFile', path: keyPath }))));
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    const reports = ok(await b.poll(null)).reports;
    await b.close();

    const without = openPaperLog(path, undefined);
    expect(isLeft(without)).toBe(true);
    const e = err(without);
    expect(e.code).toBe('BROKER_UNAVAILABLE');
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/encrypted/);

    const otherKey = join(dir, 'other.key');
    writeFileSync(otherKey, `${'a1'.repeat(32)}\n`, { mode: 0o600 });
    expect(err(openPaperLog(path, { kind: 'keyFile', path: otherKey })).message).toMatch(/key is wrong/);

    const withKey = await open(clock, ok(openPaperLog(path, { kind: 'keyFile', path: keyPath })));
    expect(ok(await withKey.poll(null)).reports).toEqual(reports);
  });

  it('refuses to reopen when a settled day\'s market data changed, naming the day', async () => {
    const path = join(tempDir(), 'paper.db');
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = ok(await createPaperBroker(options(clock), ok(openPaperLog(path, undefined))));
    ok(await b.submit(order('C-1', 'buy', 1000, clock.now())));
    clock.set('2024-03-04T16:00:00+08:00');
    expect((await orderReports(b)).map((r) => r.status)).toEqual(['accepted', 'filled']);
    await b.close();

    const changed = [bar(D1, 10_010), bar(D2, 10_100), bar(D3, 10_200)];
    const log = ok(openPaperLog(path, undefined));
    const reopened = await createPaperBroker(options(clock, {}, changed), log);
    log.close();
    const e = err(reopened);
    expect(e.code).toBe('BROKER_BAD_ANSWER');
    expect(e.message).toContain(D1);
    expect(e.message).toContain(path);
  });

  it('refuses a file opened for another account (a different initial cash)', async () => {
    const path = join(tempDir(), 'paper.db');
    const clock = clockAt('2024-03-04T09:30:00+08:00');
    const b = ok(await createPaperBroker(options(clock), ok(openPaperLog(path, undefined))));
    await b.close();
    const log = ok(openPaperLog(path, undefined));
    const e = err(await createPaperBroker(options(clock, { initialCashFen: INITIAL_CASH + 1 }), log));
    log.close();
    expect(e.code).toBe('BROKER_BAD_ANSWER');
    expect(e.message).toMatch(/another account/);
  });
});

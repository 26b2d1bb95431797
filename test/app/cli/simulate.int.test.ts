import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The rules oracle through the compiled CLI, on a hand-made bar file (test/fixtures/simulate).
// Every expected figure below is computed by hand from ashare-market-rules.md: commission 0.025%
// (5 CNY minimum per order), stamp duty on sells 0.1% until 2023-08-27 and 0.05% from 2023-08-28,
// transfer fee 0.02‰ until 2022-04-28 and 0.01‰ from 2022-04-29; bands ChiNext 10% → 20% on
// 2020-08-24, main-board ST 5% → 10% on 2026-07-06; STAR ≥200 shares then 1-share steps.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const fx = join(repo, 'test', 'fixtures', 'simulate');
const work = mkdtempSync(join(tmpdir(), 'ashare-sim-'));

function simulate(...extra: string[]) {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), 'simulate', '--bars', join(fx, 'bars.csv'), '--orders', join(fx, 'orders.jsonl'), ...extra], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const summary = lines.pop();
  return { byId: new Map(lines.filter((l) => l.id).map((l) => [l.id, l])), lines, summary };
}

describe('ashare simulate (rules oracle)', () => {
  const { byId, lines, summary } = simulate();
  const get = (id: string) => byId.get(id)!;

  it('answers one line per input line, in input order, then a summary', () => {
    expect(lines).toHaveLength(24);
    expect(lines[0].id).toBe('sd-buy');
    expect(lines[20]).toMatchObject({ id: null, status: 'rejected', reason: 'BAD_ORDER', line: 21 });
    expect(lines[20].details).toContain('line 21');
    expect(get('bad-qty')).toMatchObject({ status: 'rejected', reason: 'BAD_ORDER', line: 22 });
    expect(summary.summary).toBe(true);
  });

  it('stamp duty: 0.1% on 2023-08-25, 0.05% on 2023-08-28', () => {
    expect(get('sd-buy')).toMatchObject({ status: 'filled', filledQty: 10000, avgPrice: 10, commission: 25, stampDuty: 0, transferFee: 1, reason: null });
    expect(get('sd-old')).toMatchObject({ status: 'filled', filledQty: 5000, commission: 12.5, stampDuty: 50, transferFee: 0.5 });
    expect(get('sd-new')).toMatchObject({ status: 'filled', filledQty: 5000, commission: 12.5, stampDuty: 25, transferFee: 0.5 });
  });

  it('ChiNext band: 10% on 2020-08-21 rejects a 115.00 limit over a 100.00 reference; 20% on 2020-08-24 accepts it', () => {
    expect(get('cn-old')).toMatchObject({ status: 'rejected', reason: 'PRICE_LIMIT', filledQty: 0 });
    // Band from 105.00 is 84.00–126.00; the bar opened at 106.00, better than the limit.
    expect(get('cn-new')).toMatchObject({ status: 'filled', filledQty: 100, avgPrice: 106, commission: 5, transferFee: 0.21 });
  });

  it('ST band: 5% on 2026-07-03, 10% from 2026-07-06', () => {
    expect(get('st-old')).toMatchObject({ status: 'rejected', reason: 'PRICE_LIMIT' });
    expect(get('st-new')).toMatchObject({ status: 'filled', filledQty: 1000, avgPrice: 10.3, commission: 5, transferFee: 0.1 });
  });

  it('transfer fee: 0.02‰ on 2022-04-28, 0.01‰ from 2022-04-29; the 5 CNY minimum', () => {
    expect(get('tf-old')).toMatchObject({ status: 'filled', commission: 25, transferFee: 2 });
    expect(get('tf-new')).toMatchObject({ status: 'filled', commission: 25, transferFee: 1 });
    expect(get('min5')).toMatchObject({ status: 'filled', commission: 5, transferFee: 0.01 });
  });

  it('STAR lots, T+1 and the odd-lot remainder', () => {
    expect(get('star-150')).toMatchObject({ status: 'rejected', reason: 'LOT_SIZE' });
    expect(get('star-201')).toMatchObject({ status: 'filled', filledQty: 201, avgPrice: 50, commission: 5, transferFee: 0.1 });
    expect(get('t1')).toMatchObject({ status: 'rejected', reason: 'T1_NOT_SELLABLE' });
    expect(get('odd-bad')).toMatchObject({ status: 'rejected', reason: 'LOT_SIZE' });
    expect(get('star-200')).toMatchObject({ status: 'filled', filledQty: 200, avgPrice: 50.5, commission: 5, stampDuty: 5.05, transferFee: 0.1 });
    expect(get('odd-rest')).toMatchObject({ status: 'filled', filledQty: 1, avgPrice: 50.8, commission: 5, stampDuty: 0.03, transferFee: 0 });
  });

  it('no fill on a sealed limit-up, a suspended day, an unreached limit; position, listing and cash checks', () => {
    expect(get('sealed')).toMatchObject({ status: 'expired', reason: 'PRICE_LIMIT', filledQty: 0 });
    expect(get('susp')).toMatchObject({ status: 'rejected', reason: 'SUSPENDED' });
    expect(get('not-reached')).toMatchObject({ status: 'expired', reason: 'LIMIT_NOT_REACHED' });
    expect(get('no-pos')).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_POSITION' });
    expect(get('unlisted')).toMatchObject({ status: 'rejected', reason: 'NOT_LISTED' });
    expect(get('too-much')).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_CASH' });
  });

  it('the summary carries the cash and the T+1 sellable quantities at the end', () => {
    expect(summary.cash).toBe(777_985.2);
    expect(summary.positions).toEqual({
      '300750.SZ': { qty: 100, sellable: 100 },
      '600005.SH': { qty: 1000, sellable: 0 },
      '600010.SH': { qty: 20100, sellable: 20100 },
    });
  });

  it('options: participation caps fills to lots of the bar volume; bps slippage is adverse; cash and commission flags apply', () => {
    const p = simulate('--participation', '0.005').byId;
    // 0.5% of 1,000,000 shares = 5,000: the 10,000-share buy fills 5,000.
    expect(p.get('sd-buy')).toMatchObject({ status: 'partial', filledQty: 5000, reason: 'VOLUME_LIMIT' });
    const s = simulate('--slippage', 'bps:10').byId;
    expect(s.get('tf-new')!.avgPrice).toBe(10.01);
    expect(s.get('sd-old')!.avgPrice).toBe(9.99);
    const c = simulate('--cash', '5000', '--commission-rate', '0.0003', '--min-commission', '0').byId;
    expect(c.get('min5')).toMatchObject({ status: 'filled', commission: 0.3 });
    expect(c.get('tf-new')).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_CASH' });
  });

  it('instruments: a day before list_date is NOT_LISTED', () => {
    const inst = join(work, 'instruments.csv');
    writeFileSync(inst, 'symbol,name,list_date,delist_date\n688981.SH,SMIC,2025-03-04,\n');
    const r = simulate('--instruments', inst).byId;
    expect(r.get('star-201')).toMatchObject({ status: 'rejected', reason: 'NOT_LISTED' });
  });
});

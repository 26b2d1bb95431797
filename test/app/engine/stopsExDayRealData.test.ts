import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DataOf, DomainEvent } from '../../../src/domain/index.js';
import { canonicalHash, cnyToPriceMilli, exRightsReferencePrice, smaCrossover } from '../../../src/domain/index.js';
import type { RiskConfig } from '../../../src/domain/risk/riskConfig.js';
import type { StopDecision } from '../../../src/domain/risk/stops.js';
import { loadConfig } from '../../../src/app/config/index.js';
import { evolveKernel, initialKernel } from '../../../src/app/engine/kernel.js';
import { stopsFiring } from '../../../src/app/engine/riskSteps.js';

/**
 * Stops through a real bonus issue: BYD (002594.SZ) went ex on 2025-07-29 with 10送8转12 and 39.74 CNY
 * cash per 10 shares — the close of 337.00 the day before became a reference of 111.01, so the raw
 * low of 109.77 sits 67% under any entry taken before it. The raw, unadjusted bars (with the
 * exchange's pre_close) are the Tushare `stk_factor` pull in $ASHARE_FIXTURES_DIR/
 * tushare_3stocks_factors_2023_2025 (PROVENANCE.md: "large bonus-share issue in 2025"), read in place.
 */
const fixtures = process.env.ASHARE_FIXTURES_DIR;
const file = fixtures ? join(fixtures, 'tushare_3stocks_factors_2023_2025', 'stock', 'raw', '002594.SZ_indiv_techin.csv') : '';
if (!fixtures) console.log('skipping the real-data ex-day stop test: ASHARE_FIXTURES_DIR is not set');
else if (!existsSync(file)) console.log(`skipping the real-data ex-day stop test: ${file} is missing`);

const SYM = '002594.SZ';
const EX_DAY = '2025-07-29';
const BUY_DAY = '2025-07-22';
const isoDay = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

/** The bars oldest-first, one symbol each (the file is newest-first). */
function readBars(): DataOf<'BarsClosed'>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = head!.split(',').map((c) => c.replace(/^indiv_techin_/, ''));
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v]))).reverse().map((r) => ({
    day: isoDay(r.trade_date!), symbols: [SYM], open: [cnyToPriceMilli(r.open!)], high: [cnyToPriceMilli(r.high!)], low: [cnyToPriceMilli(r.low!)],
    close: [cnyToPriceMilli(r.close!)], volume: [Math.round(Number(r.vol) * 100)], amountFen: [Math.round(Number(r.amount) * 100_000)],
    preClose: [cnyToPriceMilli(r.pre_close!)], isSt: [0],
  }));
}

const base = loadConfig('config/backtest.yaml');
if (!isRight(base)) throw new Error(base.left.problems.join('; '));
/** Every price stop at once: fixed 3% (the client's), trailing 8%, 1.5 ATR(14), take-profit 10%. */
const config: RiskConfig = {
  ...base.right.config.risk,
  stops: { fixedPct: 0.03, trailingPct: 0.08, atrMultiple: 1.5, atrPeriod: 14, takeProfitPct: 0.1, maxHoldingDays: null },
};
const strategy = smaCrossover({ fast: 5, slow: 20 });
const run: DomainEvent = {
  type: 'RunStarted', data: {
    runId: 'run-byd', mode: 'backtest', config: { test: true }, configHash: canonicalHash({ test: true }),
    dataSource: { kind: 'test', description: 'tushare_3stocks_factors_2023_2025', path: null, sha256: null }, codeVersion: 'ashare@test', initialCashFen: 1_000_000_000,
  },
};
/** 300 shares at the open of 2025-07-22 (335.00): 100,500.00 CNY + 25.13 CNY commission. */
const fillAt = (open: number): DomainEvent => ({ type: 'OrderFilled', data: {
  orderId: 'O-1', fillId: 'O-1-F1', day: BUY_DAY, symbol: SYM, side: 'buy', qty: 300, price: open, notionalFen: (300 * open) / 10,
  commissionFen: 2_513, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: 0,
} });
/** The registrar's answers on the ex-day for 300 shares: 3.974 CNY cash each, 240 bonus and 360 conversion shares. */
const registrar: DomainEvent[] = [
  { type: 'DividendEntitled', data: { day: EX_DAY, symbol: SYM, qty: 300, cashPerShareMicro: 3_974_000, payDay: EX_DAY, amountFen: 119_220 } },
  { type: 'SharesDistributed', data: { day: EX_DAY, symbol: SYM, qtyBefore: 300, bonusPerShareMicro: 800_000, conversionPerShareMicro: 1_200_000, bonusQty: 240, conversionQty: 360 } },
];

/** Folds every bar (the fill before its day's bar, the registrar's events before the ex-day's) and checks the stops each day held. */
function replay(bars: readonly DataOf<'BarsClosed'>[], exDayEvents: readonly DomainEvent[]): { day: string; d: StopDecision }[] {
  let k = initialKernel(strategy, config.stops.atrPeriod);
  k = evolveKernel(k, run, strategy);
  const fired: { day: string; d: StopDecision }[] = [];
  for (const b of bars) {
    if (b.day === BUY_DAY) k = evolveKernel(k, fillAt(b.open[0]!), strategy);
    if (b.day === EX_DAY) for (const e of exDayEvents) k = evolveKernel(k, e, strategy);
    k = evolveKernel(k, { type: 'BarsClosed', data: b }, strategy);
    if (b.day >= BUY_DAY) for (const d of stopsFiring(k, b, config)) fired.push({ day: b.day, d });
    if (fired.length > 0) break; // the stop's sell would close the position
  }
  return fired;
}

describe.skipIf(!fixtures || !existsSync(file))('stops through BYD\'s 2025 bonus issue (tushare_3stocks_factors_2023_2025, raw bars)', () => {
  it('the data: a 10送8转12 + 3.974 cash ex-day on 2025-07-29, and its raw low far below every unadjusted stop', () => {
    const bars = readBars();
    const i = bars.findIndex((b) => b.day === EX_DAY);
    const prev = bars[i - 1]!, ex = bars[i]!;
    expect([prev.close[0], ex.preClose[0], ex.low[0]]).toEqual([337_000, 111_010, 109_770]);
    // The exchange's reference (§7.2): (337.00 − 3.974) / (1 + 0.8 + 1.2) = 111.0087 → 111.01.
    expect(exRightsReferencePrice(337_000, { cashPerShareMicro: 3_974_000, bonusPerShareMicro: 800_000, conversionPerShareMicro: 1_200_000 })).toBe(111_010);
    // Bought at 335.00: the unadjusted fixed stop 3% below is 325, the low 109.77.
    expect(bars.find((b) => b.day === BUY_DAY)!.open[0]).toBe(335_000);
    expect(ex.low[0]).toBeLessThan(325_000);
  });

  it.each([
    ['bars only (a backtest on these bars: no bonus-share events)', [] as DomainEvent[]],
    ['with the registrar\'s DividendEntitled and SharesDistributed', registrar],
  ])('%s: no stop on the ex-day; the first stop is the real fall after it', (_, events) => {
    const fired = replay(readBars(), events);
    console.log(`002594.SZ bought ${BUY_DAY}: first stop ${fired[0]?.day ?? 'none'} ${fired[0]?.d.kind ?? ''} — ${fired[0]?.d.reason ?? ''}`);
    expect(fired.filter((f) => f.day === EX_DAY)).toEqual([]);
    // 2025-07-31: low 105.00, 5.4% under the ex-day reference, reaches the fixed stop 3% under the
    // adjusted entry (335.08 × 111.01 / 337.00 = 110.38 → 107.07).
    expect(fired).toHaveLength(1);
    expect(fired[0]!.day).toBe('2025-07-31');
    expect(fired[0]!.d.kind).toBe('FIXED');
    expect(fired[0]!.d.triggerPriceMilli).toBeGreaterThan(106_900);
    expect(fired[0]!.d.triggerPriceMilli).toBeLessThan(107_200);
    expect(fired[0]!.d.qty).toBe(events.length > 0 ? 900 : 300);
  });
});

import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DataOf, DomainEvent } from '../../../src/domain/index.js';
import { canonicalHash, smaCrossover } from '../../../src/domain/index.js';
import { atrOf } from '../../../src/domain/risk/atrWindow.js';
import type { RiskConfig } from '../../../src/domain/risk/riskConfig.js';
import { loadConfig } from '../../../src/app/config/index.js';
import { evolveKernel, initialKernel, type Kernel } from '../../../src/app/engine/kernel.js';
import { stopsFiring } from '../../../src/app/engine/riskSteps.js';

// Stops on adjusted prices (issue 18 item 2): given a position bought before an ex-day (the journal's
// events folded into the kernel the backtest, the service and the audit replay share), when the
// stops are checked on the ex-day's bar, then the corporate action's gap fires none of them — with
// or without the registrar's events in the journal — while a real fall (or rise) still fires.

const base = loadConfig('config/backtest.yaml');
if (!isRight(base)) throw new Error(base.left.problems.join('; '));
const strategy = smaCrossover({ fast: 3, slow: 8 });
const SH = '600000.SH';
type Stops = RiskConfig['stops'];
const OFF: Stops = { fixedPct: null, trailingPct: null, atrMultiple: null, atrPeriod: 14, takeProfitPct: null, maxHoldingDays: null };
const KINDS: [string, Partial<Stops>][] = [
  ['FIXED', { fixedPct: 0.03 }], ['TRAILING', { trailingPct: 0.08 }], ['ATR', { atrMultiple: 1.5 }], ['TAKE_PROFIT', { takeProfitPct: 0.1 }],
];
const ALL: Partial<Stops> = Object.assign({}, ...KINDS.map(([, s]) => s));
const configWith = (s: Partial<Stops>): RiskConfig => ({ ...base.right.config.risk, stops: { ...OFF, ...s } });

const day = (i: number): string => `2024-06-${String(i + 1).padStart(2, '0')}`;
const bar = (i: number, pre: number | null, o: number, h: number, l: number, c: number): DataOf<'BarsClosed'> => ({
  day: day(i), symbols: [SH], open: [o], high: [h], low: [l], close: [c], volume: [1_000_000], amountFen: [c * 100_000], preClose: [pre], isSt: [0],
});
const run: DomainEvent = {
  type: 'RunStarted', data: {
    runId: 'run-exday', mode: 'backtest', config: { test: true }, configHash: canonicalHash({ test: true }),
    dataSource: { kind: 'test', description: 'hand-made', path: null, sha256: null }, codeVersion: 'ashare@test', initialCashFen: 10_000_000,
  },
};

/**
 * Days 0–15 at 10.000 (range 9.900–10.100: ATR 0.200); 1,000 shares bought at the open of day 15 for
 * 10,000.00 + 5.00 CNY (entry 10.005); closes 10.200, 10.400, 10.500 on days 16–18 (highest 10.500).
 * The ex-day is day 19.
 */
function history(): DomainEvent[] {
  const out: DomainEvent[] = [run];
  let prev: number | null = null;
  const push = (i: number, c: number): void => { out.push({ type: 'BarsClosed', data: bar(i, prev, c, c + 100, c - 100, c) }); prev = c; };
  for (let i = 0; i < 15; i++) push(i, 10_000);
  out.push({ type: 'OrderFilled', data: {
    orderId: 'O-1', fillId: 'O-1-F1', day: day(15), symbol: SH, side: 'buy', qty: 1000, price: 10_000, notionalFen: 1_000_000,
    commissionFen: 500, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: 0,
  } });
  push(15, 10_000); push(16, 10_200); push(17, 10_400); push(18, 10_500);
  return out;
}

/** A corporate action on day 19: its reference price (preClose) and the registrar's events, if journaled. */
interface ExDay { readonly name: string; readonly pre: number; readonly events: DomainEvent[] }
const dividend = (journaled: boolean): ExDay => ({
  // 10派10: 1.000 CNY per share; reference 10.500 − 1.000 = 9.500.
  name: `cash dividend 1.000/share${journaled ? ' (DividendEntitled journaled)' : ' (bars only)'}`, pre: 9_500,
  events: journaled ? [{ type: 'DividendEntitled', data: { day: day(19), symbol: SH, qty: 1000, cashPerShareMicro: 1_000_000, payDay: day(19), amountFen: 100_000 } }] : [],
});
const bonus = (journaled: boolean): ExDay => ({
  // 10送10: one bonus share per share; reference 10.500 / 2 = 5.250.
  name: `10-for-10 bonus issue${journaled ? ' (SharesDistributed journaled)' : ' (bars only)'}`, pre: 5_250,
  events: journaled ? [{ type: 'SharesDistributed', data: { day: day(19), symbol: SH, qtyBefore: 1000, bonusPerShareMicro: 1_000_000, conversionPerShareMicro: 0, bonusQty: 1000, conversionQty: 0 } }] : [],
});
const EX_DAYS = [dividend(true), dividend(false), bonus(true), bonus(false)];

/** The ex-day's bar: opens 0.5% below the reference, ranges −1.6% … +1.1% of it, closes on it. */
const exBar = (pre: number): DataOf<'BarsClosed'> =>
  bar(19, pre, Math.round(pre * 0.995), Math.round(pre * 1.011), Math.round(pre * 0.984), pre);

function given(events: readonly DomainEvent[]): Kernel<ReturnType<typeof strategy.init>> {
  let k = initialKernel(strategy, 14);
  for (const e of events) k = evolveKernel(k, e, strategy);
  return k;
}
/** The kernel after the ex-day's close (its corporate-action events first, as the broker answers them before the close). */
const throughExDay = (x: ExDay): { k: Kernel<ReturnType<typeof strategy.init>>; b: DataOf<'BarsClosed'> } => {
  const b = exBar(x.pre);
  return { k: given([...history(), ...x.events, { type: 'BarsClosed', data: b }]), b };
};

describe('stops on the ex-day of a corporate action', () => {
  it.each(EX_DAYS.map((x) => [x.name, x] as const))('%s: the raw gap would have fired the loss-side stops on unadjusted references', (_, x) => {
    const b = exBar(x.pre);
    // The check that makes the tests below meaningful: the bar's low is below every unadjusted level.
    expect(b.low[0]).toBeLessThan(Math.round(10_005 * 0.97)); // fixed
    expect(b.low[0]).toBeLessThan(Math.round(10_500 * 0.92)); // trailing
    expect(b.low[0]).toBeLessThan(10_005 - 1.5 * 200); // ATR
  });

  for (const [kind, stops] of [...KINDS, ['all four', ALL] as [string, Partial<Stops>]]) {
    it.each(EX_DAYS.map((x) => [x.name, x] as const))(`${kind}: %s — no stop on the ex-day`, (_, x) => {
      const { k, b } = throughExDay(x);
      expect(stopsFiring(k, b, configWith(stops))).toEqual([]);
    });
  }
});

describe('a real move after the ex-day still fires, measured from the adjusted references', () => {
  /** Day 20: a limit-down day (low 10% under the ex-day close) or a limit-up day (high 10% over it). */
  const day20 = (pre: number, up: boolean): DataOf<'BarsClosed'> => up
    ? bar(20, pre, pre, Math.round(pre * 1.1), pre, Math.round(pre * 1.1))
    : bar(20, pre, pre, pre, Math.round(pre * 0.9), Math.round(pre * 0.9));

  it.each(EX_DAYS.map((x) => [x.name, x] as const))('%s: each stop fires at its hand-computed adjusted level', (_, x) => {
    const down = day20(x.pre, false), up = day20(x.pre, true);
    // A fresh fold per check: the kernel's ATR window is owned state, updated in place.
    const after = (b: DataOf<'BarsClosed'>) => given([...history(), ...x.events, { type: 'BarsClosed', data: exBar(x.pre) }, { type: 'BarsClosed', data: b }]);
    const fired = (s: Partial<Stops>, b: DataOf<'BarsClosed'>) => stopsFiring(after(b), b, configWith(s));
    // Adjusted entry: dividend 10.005 × 9.5/10.5 = 9.052 (cost 1,000,500 fen × 0.904761905 = 905,214 fen
    // over 1,000 shares); bonus 10.005 / 2 = 5.0025 → 5.003 (the same whether the shares arrived or not).
    const isDiv = x.pre === 9_500;
    const entry = isDiv ? 9_052 : 5_003;
    // The bonus shares, when distributed, are sellable from the day after the ex-day.
    const qty = !isDiv && x.events.length > 0 ? 2000 : 1000;
    expect(fired({ fixedPct: 0.03 }, down)).toMatchObject([{ kind: 'FIXED', triggerPriceMilli: Math.round(entry * 0.97), qty }]);
    // Highest close: 10.500 moved to the reference (9.500 / 5.250), the ex-day closed on it.
    expect(fired({ trailingPct: 0.08 }, down)).toMatchObject([{ kind: 'TRAILING', triggerPriceMilli: Math.round(x.pre * 0.92) }]);
    // The ATR is on the new price basis too (atrWindow.ts): 0.213 before the ex-day, × 9.5/10.5 or
    // × 1/2, then the ex-day's and day 20's ranges: 0.251 and 0.139.
    const atr = atrOf(after(down).atr, SH)!;
    expect(atr).toBe(isDiv ? 251 : 139);
    expect(fired({ atrMultiple: 1.5 }, down)).toMatchObject([{ kind: 'ATR', triggerPriceMilli: entry - Math.round(1.5 * atr) }]);
    // Take-profit measures the adjusted gain: 10% over the adjusted entry, though the raw high stays
    // under 10% over the raw entry (11.006).
    expect(fired({ takeProfitPct: 0.1 }, up)).toMatchObject([{ kind: 'TAKE_PROFIT', triggerPriceMilli: Math.round(entry * 1.1) }]);
    expect(up.high[0]).toBeLessThan(11_006);
  });

  it('a plain fall with no corporate action fires the fixed stop from the unadjusted entry (no ex-day, nothing moves)', () => {
    const b = bar(19, 10_500, 10_500, 10_500, 9_700, 9_700);
    const k = given([...history(), { type: 'BarsClosed', data: b }]);
    expect(k.projections.risk.stops.get(SH)!.entryAdjustPpb).toBeUndefined();
    expect(stopsFiring(k, b, configWith({ fixedPct: 0.03 }))).toMatchObject([{ kind: 'FIXED', triggerPriceMilli: 9_705, qty: 1000 }]);
  });

  it('a real fall on the ex-day itself, beyond the gap, fires', () => {
    const x = dividend(true);
    const b = bar(19, x.pre, x.pre, x.pre, 8_550, 8_550); // limit-down from the reference 9.500
    const k = given([...history(), ...x.events, { type: 'BarsClosed', data: b }]);
    expect(stopsFiring(k, b, configWith(ALL))).toMatchObject([{ kind: 'FIXED', triggerPriceMilli: 8_780 }]);
  });
});

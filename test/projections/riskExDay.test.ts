import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import { bar, fill, run, SYM } from './riskEvents.js';
import { adjustedEntryMilli } from '../../src/domain/risk/stopReference.js';
import { foldProjections, fromSnapshot, projectionHash, toSnapshot } from '../../src/projections/index.js';

// The risk projection moves a position's stop references on an ex-day (issue 18 item 2): given the
// journal's events, then the StopTrack (highest close, entry factor) a stop reads. Hand-computed.

const entitled = (day: string, cashPerShareMicro: number, qty = 1000): DomainEvent =>
  ({ type: 'DividendEntitled', data: { day, symbol: SYM, qty, cashPerShareMicro, payDay: day, amountFen: (qty * cashPerShareMicro) / 10_000 } });
const distributed = (day: string, qtyBefore: number, bonusQty: number): DomainEvent =>
  ({ type: 'SharesDistributed', data: { day, symbol: SYM, qtyBefore, bonusPerShareMicro: (bonusQty * 1_000_000) / qtyBefore, conversionPerShareMicro: 0, bonusQty, conversionQty: 0 } });

/** 1,000 shares at 10.000 + 5.00 CNY fees (cost 1,000,500 fen), closes 10.200 and 10.500. */
const held: DomainEvent[] = [run, fill({ side: 'buy', qty: 1000, price: 10_000, day: '2024-06-03' }), bar('2024-06-03', 10_200, 10_000), bar('2024-06-04', 10_500, 10_200)];
const track = (events: readonly DomainEvent[]) => foldProjections(events).risk.stops.get(SYM)!;

describe('risk projection: stop references on an ex-day', () => {
  it('no ex-day: the track has no entry factor (the canonical form of journals without ex-days is unchanged)', () => {
    const t = track(held);
    expect(t).toEqual({ symbol: SYM, entryDay: '2024-06-03', highestCloseMilli: 10_500, daysHeld: 2, tripCashFen: -1_000_500 });
    expect('entryAdjustPpb' in t).toBe(false);
  });

  it('a cash dividend of 1.000 (10派10): highest 10.500 → 9.500 and entry factor 9.5/10.5, whether journaled or seen in the bar only', () => {
    // DividendEntitled: (10.500 − 1.000) / 10.500 = 0.904761905 (half-up, ppb); the ex-day bar's
    // reference 9.500 then equals the mark, so it moves nothing more.
    const journaled = track([...held, entitled('2024-06-05', 1_000_000), bar('2024-06-05', 9_400, 9_500)]);
    const barsOnly = track([...held, bar('2024-06-05', 9_400, 9_500)]);
    for (const t of [journaled, barsOnly]) expect(t).toMatchObject({ highestCloseMilli: 9_500, entryAdjustPpb: 904_761_905, daysHeld: 3 });
    // Entry 10.005 → ⌊1,000,500 × 0.904761905⌉ = 905,214 fen / 1,000 shares = 9.052.
    expect(adjustedEntryMilli(1_000_500, 1000, journaled.entryAdjustPpb)).toBe(9_052);
  });

  it('10-for-10 bonus: with SharesDistributed the cost per share halves itself (no factor); from the bar alone the factor is 1/2', () => {
    const journaled = track([...held, distributed('2024-06-05', 1000, 1000), bar('2024-06-05', 5_200, 5_250)]);
    expect(journaled).toMatchObject({ highestCloseMilli: 5_250 });
    expect(journaled.entryAdjustPpb).toBeUndefined();
    const barsOnly = track([...held, bar('2024-06-05', 5_200, 5_250)]);
    expect(barsOnly).toMatchObject({ highestCloseMilli: 5_250, entryAdjustPpb: 500_000_000 });
    // Either way the stop's entry is 10.005 / 2 = 5.0025 → 5.003.
    expect(adjustedEntryMilli(1_000_500, 2000, journaled.entryAdjustPpb)).toBe(5_003);
    expect(adjustedEntryMilli(1_000_500, 1000, barsOnly.entryAdjustPpb)).toBe(5_003);
  });

  it('a dividend event the bars do not show (forward-adjusted data: preClose = previous close) cancels out', () => {
    const t = track([...held, entitled('2024-06-05', 1_000_000), bar('2024-06-05', 10_400, 10_500)]);
    expect(t).toMatchObject({ highestCloseMilli: 10_500 });
    expect(t.entryAdjustPpb).toBeUndefined(); // 904,761,905 × 10.5/9.5 = 1,000,000,000.3 → one
  });

  it('bought at the open of the ex-day: the fill was at ex-day prices, nothing moves; a null preClose moves nothing', () => {
    const t = track([run, fill({ side: 'buy', qty: 1000, price: 9_500, day: '2024-06-05' }), bar('2024-06-05', 9_400, 9_500)]);
    expect(t).toMatchObject({ highestCloseMilli: 9_500, daysHeld: 1 });
    expect(t.entryAdjustPpb).toBeUndefined();
    expect(track([...held, bar('2024-06-05', 9_400, null)]).entryAdjustPpb).toBeUndefined();
  });

  it('adding after the ex-day: only the held shares carry the factor (adjusted cost 905,214 + 950,500 over 1,951,000 raw)', () => {
    const p = foldProjections([...held, bar('2024-06-05', 9_500, 9_500), fill({ side: 'buy', qty: 1000, price: 9_500, day: '2024-06-06' })]);
    const t = p.risk.stops.get(SYM)!;
    expect(t.entryAdjustPpb).toBe(951_160_431);
    // (9.052 × 1,000 + 9.505 × 1,000) / 2,000 = 9.2786 → 9.279.
    expect(adjustedEntryMilli(1_951_000, 2000, t.entryAdjustPpb)).toBe(9_279);
    // A partial sell keeps the average cost, so it keeps the factor.
    const after = foldProjections([fill({ side: 'sell', qty: 500, price: 9_600, day: '2024-06-07' })], p);
    expect(after.risk.stops.get(SYM)!.entryAdjustPpb).toBe(951_160_431);
  });

  it('a snapshot taken before the key existed (no entryAdjustPpb) folds on: fold(all) = fold(snapshot) then fold(tail)', () => {
    const head = foldProjections(held);
    const snap = toSnapshot(head);
    expect(JSON.stringify(snap)).not.toContain('entryAdjustPpb');
    const tail = [entitled('2024-06-05', 1_000_000), bar('2024-06-05', 9_400, 9_500)];
    const resumed = foldProjections(tail, fromSnapshot(snap));
    const whole = foldProjections([...held, ...tail]);
    expect(resumed.risk.stops.get(SYM)).toEqual(whole.risk.stops.get(SYM));
    expect(projectionHash(resumed)).toBe(projectionHash(whole));
    expect(projectionHash(fromSnapshot(toSnapshot(whole)))).toBe(projectionHash(whole));
  });
});

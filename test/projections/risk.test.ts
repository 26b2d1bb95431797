import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import { bar, fill, run, SYM } from './riskEvents.js';
import { foldProjections, fromSnapshot, projectionHash, toSnapshot } from '../../src/projections/index.js';

const closed = (day: string, equityFen: number): DomainEvent => ({ type: 'DayClosed', data: { day, cashFen: 0, positionsValueFen: 0, equityFen, positions: 0 } });

describe('risk projection', () => {
  it('tracks entry, highest close and days held; a closing sell books the round trip (hand-computed)', () => {
    const p = foldProjections([
      run, fill({ side: 'buy', qty: 1000, price: 10_000, day: '2024-03-01' }), bar('2024-03-01', 10_200), closed('2024-03-01', 10_009_500),
      bar('2024-03-04', 10_800), bar('2024-03-05', 10_500),
    ]);
    expect(p.risk.stops.get(SYM)).toEqual({ symbol: SYM, entryDay: '2024-03-01', highestCloseMilli: 10_800, daysHeld: 3, tripCashFen: -1_000_500 });
    expect(p.risk).toMatchObject({ peakEquityFen: 10_009_500, startOfDayEquityFen: 10_009_500 });
    // Sold at 10.50: +1,050,000 − 500 fees; trip = 1,049,500 − 1,000,500 = +49,000 fen (a win).
    const q = foldProjections([fill({ side: 'sell', qty: 1000, price: 10_500, day: '2024-03-06' })], p);
    expect(q.risk.stops.has(SYM)).toBe(false);
    expect(q.risk.roundTrips).toEqual({ count: 1, wins: 1, winFen: 49_000, losses: 0, lossFen: 0 });
  });

  it('the trading state follows TradingStateChanged; the peak only rises; snapshots round-trip', () => {
    const p = foldProjections([
      run, closed('2024-03-01', 11_000_000), closed('2024-03-04', 9_800_000),
      { type: 'TradingStateChanged', data: { day: '2024-03-04', from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: 'x' } },
      { type: 'InstrumentsReferenced', data: { day: '2024-03-04', source: 't', symbols: [SYM], sectors: ['banks'], totalShares: [29_352_000_000] } },
    ]);
    expect(p.risk).toMatchObject({ state: 'REDUCING', peakEquityFen: 11_000_000, startOfDayEquityFen: 9_800_000, lastChange: { by: 'risk:maxDrawdown' } });
    expect(p.risk.sectors.get(SYM)).toBe('banks');
    expect(p.risk.totalShares.get(SYM)).toBe(29_352_000_000);
    expect(projectionHash(fromSnapshot(toSnapshot(p)))).toBe(projectionHash(p));
    // A person re-activating resets the drawdown reference to the last close; the engine's own moves do not.
    const q = foldProjections([{ type: 'TradingStateChanged', data: { day: '2024-03-05', from: 'REDUCING', to: 'ACTIVE', by: 'alice', why: 'reviewed' } }], p);
    expect(q.risk).toMatchObject({ state: 'ACTIVE', peakEquityFen: 9_800_000 });
  });
});

describe('risk projection: the drawdown re-activation policy (issue 19)', () => {
  it('a policy:* re-activation resets the peak to the close it was decided on, like a person\'s; the drawdown rule\'s own move does not', () => {
    const reduced = foldProjections([
      run, closed('2024-03-01', 11_000_000), closed('2024-03-04', 9_800_000),
      { type: 'TradingStateChanged', data: { day: '2024-03-04', from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: 'x' } },
      closed('2024-03-05', 9_700_000),
    ]);
    expect(reduced.risk).toMatchObject({ state: 'REDUCING', peakEquityFen: 11_000_000 });
    for (const by of ['policy:afterDays', 'policy:onRecovery']) {
      const q = foldProjections([{ type: 'TradingStateChanged', data: { day: '2024-03-05', from: 'REDUCING', to: 'ACTIVE', by, why: 'y' } }], reduced);
      expect(q.risk).toMatchObject({ state: 'ACTIVE', peakEquityFen: 9_700_000, lastChange: { day: '2024-03-05', by } });
      // From there the peak rises with the closes again.
      expect(foldProjections([closed('2024-03-06', 9_900_000)], q).risk.peakEquityFen).toBe(9_900_000);
    }
  });
});

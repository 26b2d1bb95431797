import { describe, expect, it } from 'vitest';
import { DomainEvent } from '../../../src/domain/events/domainEvent.js';
import type { FundamentalValues } from '../../../src/domain/events/fundamentals.js';
import { emptyFundamentals, evolveFundamentals, fundamentalsOn } from '../../../src/domain/fundamentals/index.js';

const SYM = '600519.SH';
/** A FundamentalsReported event, parsed at the edge as the journal would. */
const reported = (period: string, announcedDay: string, values: FundamentalValues, symbol = SYM): DomainEvent =>
  DomainEvent.parse({ type: 'FundamentalsReported', data: { symbol, period, announcedDay, values } });
const given = (...events: DomainEvent[]) => events.reduce(evolveFundamentals, emptyFundamentals);
const visible = (s: ReturnType<typeof given>, day: string) =>
  fundamentalsOn(s, SYM, day).map((r) => `${r.period}@${r.announcedDay}:${r.values.netProfitFen ?? '-'}`);

describe('FundamentalsReported schema', () => {
  it('accepts a quarter-end period announced on or after the period end', () => {
    expect(() => reported('2024-09-30', '2024-10-30', { epsMicro: -5 })).not.toThrow();
    expect(() => reported('2024-12-31', '2024-12-31', {})).not.toThrow();
  });
  it('refuses a period that is not a quarter end, an announcement before the period end, fractions and unknown fields', () => {
    expect(() => reported('2024-09-29', '2024-10-30', {})).toThrow(/quarter end/);
    expect(() => reported('2024-09-30', '2024-09-29', {})).toThrow(/announcedDay/);
    expect(() => reported('2024-09-30', '2024-10-30', { revenueFen: 1.5 })).toThrow();
    expect(() => reported('2024-09-30', '2024-10-30', { totalShares: -1 })).toThrow();
    expect(() => DomainEvent.parse({ type: 'FundamentalsReported', data: { symbol: SYM, period: '2024-09-30', announcedDay: '2024-10-30', values: { eps: 1 } } })).toThrow();
  });
});

describe('point-in-time visibility', () => {
  const s = given(reported('2024-09-30', '2024-10-30', { netProfitFen: 900 }));

  it('given a report announced on D, when queried on D, then it is not visible', () => {
    expect(fundamentalsOn(s, SYM, '2024-10-30')).toEqual([]);
  });
  it('given a report announced on D, when queried on D+1, then it is visible', () => {
    expect(visible(s, '2024-10-31')).toEqual(['2024-09-30@2024-10-30:900']);
  });
  it('given reports of another symbol, when queried, then they are not returned', () => {
    expect(fundamentalsOn(s, '600036.SH', '2025-01-01')).toEqual([]);
  });
  it('given several periods, when queried, then one report per period, latest period first', () => {
    const t = given(
      reported('2024-06-30', '2024-08-28', { netProfitFen: 600 }),
      reported('2023-12-31', '2024-03-28', { netProfitFen: 1000 }),
      reported('2024-09-30', '2024-10-30', { netProfitFen: 900 }),
    );
    expect(visible(t, '2024-10-30')).toEqual(['2024-06-30@2024-08-28:600', '2023-12-31@2024-03-28:1000']);
    expect(visible(t, '2025-01-02')[0]).toBe('2024-09-30@2024-10-30:900');
  });
});

describe('restatements', () => {
  const s = given(
    reported('2023-12-31', '2024-03-28', { netProfitFen: 1000 }),
    reported('2023-12-31', '2024-06-15', { netProfitFen: 1100 }),
  );
  it('given a restatement announced on R, when queried on R or before, then the original figures stand', () => {
    expect(visible(s, '2024-04-01')).toEqual(['2023-12-31@2024-03-28:1000']);
    expect(visible(s, '2024-06-15')).toEqual(['2023-12-31@2024-03-28:1000']);
  });
  it('given a restatement announced on R, when queried from R+1, then it supersedes the original', () => {
    expect(visible(s, '2024-06-16')).toEqual(['2023-12-31@2024-06-15:1100']);
  });
  it('given a restatement journaled before the original (a backfill), then the announcement order decides, not the journal order', () => {
    const t = given(
      reported('2023-12-31', '2024-06-15', { netProfitFen: 1100 }),
      reported('2023-12-31', '2024-03-28', { netProfitFen: 1000 }),
    );
    expect(visible(t, '2024-05-01')).toEqual(['2023-12-31@2024-03-28:1000']);
    expect(visible(t, '2024-07-01')).toEqual(['2023-12-31@2024-06-15:1100']);
  });
  it('given two announcements of one period on the same day, then the later in journal order wins', () => {
    const t = given(
      reported('2023-12-31', '2024-03-28', { netProfitFen: 1000 }),
      reported('2023-12-31', '2024-03-28', { netProfitFen: 1001 }),
    );
    expect(visible(t, '2024-03-29')).toEqual(['2023-12-31@2024-03-28:1001']);
  });
});

describe('evolveFundamentals', () => {
  it('ignores other events and never mutates the state it is given', () => {
    const before = given(reported('2023-12-31', '2024-03-28', { netProfitFen: 1000 }));
    const other = DomainEvent.parse({ type: 'DayClosed', data: { day: '2024-03-29', cashFen: 0, positionsValueFen: 0, equityFen: 0, positions: 0 } });
    expect(evolveFundamentals(before, other)).toBe(before);
    const after = evolveFundamentals(before, reported('2024-03-31', '2024-04-28', { netProfitFen: 300 }));
    expect(before.bySymbol.get(SYM)).toHaveLength(1);
    expect(after.bySymbol.get(SYM)).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/domain/bars.js';
import { applyPolicies, type DataPolicyTable } from '../../../src/domain/data/applyPolicies.js';
import { FINDING_KINDS } from '../../../src/domain/data/finding.js';
import { validateBars } from '../../../src/domain/data/validator.js';
import { zDataFindingKind } from '../../../src/domain/events/data.js';
import { bar, rules, series } from './validatorFixtures.js';

// Issue 15 items 1, 3, 4 in the data pipeline (`data import` / `data validate`): what the engine
// cannot trade on is a finding the policy acts on — OFF_TICK, UNKNOWN_CODE, OUTSIDE_CALENDAR and
// NOT_TRADING_DAY — naming the row, symbol and day.
const S = '600000.SH';
const base = series(S, '2024-01-02', 30);
const withRow = (i: number, over: Partial<Bar>): Bar[] => base.map((b, j) => (j === i ? { ...b, ...over } : b));

describe('validateBars: admission findings', () => {
  it('OFF_TICK: a stock price off the 0.01 tick (error), naming the fields; a fund on its 0.001 tick is fine', () => {
    const f = validateBars(withRow(7, { open: base[7]!.open + 5, close: base[7]!.close + 5 }), { rules });
    expect(f).toMatchObject([{ kind: 'OFF_TICK', severity: 'error', symbol: S, day: base[7]!.day, line: 7, details: { fields: 'open,close', tickMilli: 10 } }]);
    const fund = bar('510300.SH', '2024-01-02', 3_499, 3_456);
    expect(validateBars([fund], { rules }).filter((x) => x.kind === 'OFF_TICK')).toEqual([]);
  });

  it('UNKNOWN_CODE: 123456.SH is on no board (error)', () => {
    const f = validateBars([bar('123456.SH', '2024-01-02', 10_000, 10_000)], { rules });
    expect(f).toMatchObject([{ kind: 'UNKNOWN_CODE', severity: 'error', symbol: '123456.SH', day: '2024-01-02', line: 0 }]);
  });

  it('OUTSIDE_CALENDAR: rows dated 1980 and 2030 (error); NOT_TRADING_DAY stays for closed days inside the table', () => {
    const rows = [bar(S, '1980-01-02', 10_000, null), ...base, bar(S, '2030-01-02', 10_000, null), bar(S, '2024-03-02', 10_000, null)];
    const f = validateBars(rows, { rules }).map((x) => [x.kind, x.severity, x.day]);
    expect(f).toEqual(expect.arrayContaining([
      ['OUTSIDE_CALENDAR', 'error', '1980-01-02'], ['OUTSIDE_CALENDAR', 'error', '2030-01-02'], ['NOT_TRADING_DAY', 'error', '2024-03-02'],
    ]));
    expect(f.filter((x) => x[0] === 'NOT_TRADING_DAY')).toHaveLength(1);
  });

  it('the kinds are journal kinds, and a reject policy drops the rows with a DataRejected event each', () => {
    for (const k of ['OFF_TICK', 'UNKNOWN_CODE', 'OUTSIDE_CALENDAR'] as const) {
      expect(FINDING_KINDS).toContain(k);
      expect(zDataFindingKind.options).toContain(k);
    }
    const rows = [...withRow(3, { high: base[3]!.high + 1 }), bar('123456.SH', '2024-01-02', 10_000, 10_000)];
    const policy = Object.fromEntries(FINDING_KINDS.map((k) => [k, 'warn'])) as Record<string, 'warn' | 'reject'>;
    policy.OFF_TICK = 'reject';
    policy.UNKNOWN_CODE = 'reject';
    const out = applyPolicies(validateBars(rows, { rules }), rows, policy as DataPolicyTable, { source: 'test' });
    expect(out.accepted).toHaveLength(rows.length - 2);
    expect(out.events.map((e) => [e.kind, e.symbol, e.day])).toEqual([['OFF_TICK', S, base[3]!.day], ['UNKNOWN_CODE', '123456.SH', '2024-01-02']]);
  });
});

import { describe, expect, it } from 'vitest';
import type { RowRejection } from '../../../src/domain/data/applyPolicies.js';
import { summariseRejections } from '../../../src/domain/data/rejectionSummary.js';
import { DataRejected } from '../../../src/domain/events/data.js';
import { series } from './validatorFixtures.js';

// The data journal gets one DataRejected per source, symbol, kind and policy with a count — never one per row.
const rows = [...series('600000.SH', '2024-01-02', 200), ...series('000001.SZ', '2024-01-02', 200)];
const reject = (i: number, kind: RowRejection['kind'], policy: RowRejection['policy'] = 'quarantine'): RowRejection => ({
  source: 'tushare-csv:/x.csv', symbol: rows[i]!.symbol, day: rows[i]!.day, kind, policy, before: rows[i]!, details: { line: i },
});

describe('summariseRejections', () => {
  it('every row of two symbols failing one rule: two events, counts, first and last day, the first row as example', () => {
    const perRow = rows.map((_, i) => reject(i, 'VOLUME_SANITY'));
    const out = summariseRejections(perRow);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ ...perRow[0], lastDay: rows[199]!.day, rows: 200 });
    expect(out[1]).toMatchObject({ symbol: '000001.SZ', day: rows[200]!.day, lastDay: rows[399]!.day, rows: 200, details: { line: 200 } });
    for (const e of out) DataRejected.shape.data.parse(e);
  });

  it('groups by kind and policy too, in order of first appearance, the earliest day as example whatever the input order', () => {
    const out = summariseRejections([reject(7, 'DUPLICATE', 'reject'), reject(3, 'BAND_VIOLATION'), reject(2, 'DUPLICATE', 'reject'), reject(9, 'BAND_VIOLATION')]);
    expect(out.map((e) => [e.kind, e.day, e.lastDay, e.rows])).toEqual([
      ['DUPLICATE', rows[2]!.day, rows[7]!.day, 2], ['BAND_VIOLATION', rows[3]!.day, rows[9]!.day, 2],
    ]);
  });

  it('nothing in, nothing out; one row is a count of one', () => {
    expect(summariseRejections([])).toEqual([]);
    expect(summariseRejections([reject(4, 'OFF_TICK', 'reject')])).toEqual([{ ...reject(4, 'OFF_TICK', 'reject'), lastDay: rows[4]!.day, rows: 1 }]);
  });
});

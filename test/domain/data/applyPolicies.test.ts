import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/domain/bars.js';
import { applyPolicies, type BackupSource, type DataPolicyTable } from '../../../src/domain/data/applyPolicies.js';
import { validateBars } from '../../../src/domain/data/validator.js';
import { summariseRejections } from '../../../src/domain/data/rejectionSummary.js';
import { DataCorrected, DataRejected, DataRejectedV1Data } from '../../../src/domain/events/data.js';
import { rules, series } from './validatorFixtures.js';

const S = '600000.SH';
const base = series(S, '2024-01-02', 30);
const POLICY: DataPolicyTable = {
  OHLC_INCONSISTENT: 'correct', VOLUME_SANITY: 'quarantine', DUPLICATE: 'reject', OUT_OF_ORDER: 'warn',
  NOT_TRADING_DAY: 'reject', CALENDAR_GAP: 'warn', BAND_VIOLATION: 'correct', OUTLIER: 'warn', SOURCE_DISAGREEMENT: 'warn',
  UNKNOWN_CODE: 'reject', OFF_TICK: 'reject', OUTSIDE_CALENDAR: 'reject',
};
// Row 3: high below low (correctable); row 6: negative volume (quarantine); row 11 repeats row 10 (reject).
const broken: Bar = { ...base[3]!, high: base[3]!.low - 10 };
const negVol: Bar = { ...base[6]!, volume: -5 };
const rows = [...base.slice(0, 3), broken, base[4]!, base[5]!, negVol, ...base.slice(7, 11), base[10]!, ...base.slice(11)];
const findings = validateBars(rows, { rules });
const backup = (have: Bar[]): BackupSource => ({ name: 'baostock', bar: (s, d) => have.find((b) => b.symbol === s && b.day === d) });

describe('applyPolicies', () => {
  it('the batch has exactly the three planted findings', () => {
    expect(findings.map((f) => [f.kind, f.line])).toEqual([['OHLC_INCONSISTENT', 3], ['VOLUME_SANITY', 6], ['DUPLICATE', 11]]);
  });

  it('corrects from the backup, quarantines, rejects: the exact events, schema-valid', () => {
    const out = applyPolicies(findings, rows, POLICY, { source: 'tushare', backup: backup(base) });
    expect(out.events).toEqual([
      {
        source: 'tushare', symbol: S, day: base[3]!.day, kind: 'OHLC_INCONSISTENT', before: broken, after: base[3],
        correctedFrom: 'baostock',
        details: { problem: 'high below open/close; high below low', open: broken.open, high: broken.high, low: broken.low, close: broken.close },
      },
      {
        source: 'tushare', symbol: S, day: base[6]!.day, kind: 'VOLUME_SANITY', policy: 'quarantine', before: negVol,
        details: { problem: 'negative volume or amount', volume: -5, amountFen: negVol.amountFen },
      },
      {
        source: 'tushare', symbol: S, day: base[10]!.day, kind: 'DUPLICATE', policy: 'reject', before: base[10],
        details: { firstLine: 10, identical: true },
      },
    ]);
    expect(out.quarantined).toEqual([negVol]);
    expect(out.accepted).toEqual(base.filter((_, i) => i !== 6));
    DataCorrected.shape.data.parse(out.events[0]);
    DataRejectedV1Data.parse(out.events[1]);
    DataRejectedV1Data.parse(out.events[2]);
    // What the data journal gets: one DataRejected (v2) per symbol, kind and policy, with the count.
    for (const e of summariseRejections([out.events[1], out.events[2]] as Parameters<typeof summariseRejections>[0])) DataRejected.shape.data.parse(e);
  });

  it('correct without a backup row (or without a backup) falls back to quarantine, saying so', () => {
    for (const [b, why] of [[backup([]), 'backup has no row'], [undefined, 'no backup source']] as const) {
      const out = applyPolicies(findings, rows, POLICY, { source: 'tushare', ...(b ? { backup: b } : {}) });
      expect(out.events[0]).toMatchObject({ kind: 'OHLC_INCONSISTENT', policy: 'quarantine', before: broken, details: { requested: 'correct', fallback: why } });
      expect(out.quarantined).toEqual([broken, negVol]);
      expect(out.accepted).toHaveLength(base.length - 2);
    }
    // A backup row that is itself broken is not taken.
    const out = applyPolicies(findings, rows, POLICY, { source: 'tushare', backup: backup([broken]) });
    expect(out.events[0]).toMatchObject({ policy: 'quarantine', details: { fallback: 'backup row has inconsistent OHLC' } });
  });

  it('the strictest policy of a row wins; the others are listed; warn keeps the row silently', () => {
    const both: Bar = { ...base[3]!, high: base[3]!.low - 10, volume: -1 };
    const rs = base.map((b, i) => (i === 3 ? both : b));
    const out = applyPolicies(validateBars(rs, { rules }), rs, POLICY, { source: 'tushare', backup: backup(base) });
    expect(out.events).toMatchObject([{ kind: 'VOLUME_SANITY', policy: 'quarantine', details: { otherKinds: 'OHLC_INCONSISTENT' } }]);
    const warnAll = Object.fromEntries(Object.keys(POLICY).map((k) => [k, 'warn'])) as unknown as DataPolicyTable;
    expect(applyPolicies(findings, rows, warnAll, { source: 'tushare' })).toEqual({ accepted: rows, events: [], quarantined: [] });
  });

  it('correct on a kind a replacement cannot fix (DUPLICATE) is applied as quarantine', () => {
    const out = applyPolicies(findings, rows, { ...POLICY, DUPLICATE: 'correct' }, { source: 'tushare', backup: backup(base) });
    expect(out.events[2]).toMatchObject({ kind: 'DUPLICATE', policy: 'quarantine' });
  });
});

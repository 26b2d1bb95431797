import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../../../src/app/journalio/decodeEvent.js';
import { CURRENT_SCHEMA_VERSION } from '../../../src/domain/events/domainEvent.js';
import type { StoredEvent } from '../../../src/domain/events/envelope.js';
import { upcast } from '../../../src/domain/events/upcast.js';

// DataRejected v1 (one event per row, before issue 15) is read back as v2 (rows of one symbol and kind, with a count).
const V1_JSON = '{"before":{"amountFen":1010000000,"close":10100,"day":"2025-03-06","high":10500,"isSt":0,"low":10200,"open":10300,"preClose":10300,"symbol":"600010.SH","volume":1000000},'
  + '"day":"2025-03-06","details":{"high":10500,"low":10200},"kind":"BAND_VIOLATION","policy":"quarantine","source":"tushare-csv:/data/faults.csv","symbol":"600010.SH"}';

describe('DataRejected v1 → v2', () => {
  it('is written as v2 today', () => {
    expect(CURRENT_SCHEMA_VERSION.DataRejected).toBe(2);
  });

  it('lifts an old v1 payload to one row on its day, the stored JSON untouched', () => {
    const stored = JSON.parse(V1_JSON) as unknown;
    const r = upcast('DataRejected', 1, stored);
    expect(r).toEqual({ ok: true, version: 2, data: { ...JSON.parse(V1_JSON), lastDay: '2025-03-06', rows: 1 } });
    expect(stored).toEqual(JSON.parse(V1_JSON));
  });

  it('a v1 event read from a journal decodes against the v2 schema', () => {
    const e = { seq: 1, eventId: 'e1', stream: 'data', type: 'DataRejected', schemaVersion: 1, occurredAt: 0, recordedAt: 0, causationId: null, correlationId: null, day: '1970-01-01', prevHash: '', hash: '', data: JSON.parse(V1_JSON) } as unknown as StoredEvent;
    const d = decodeEvent(e);
    expect(d.ok && d.event.type === 'DataRejected' && d.event.data).toMatchObject({ symbol: '600010.SH', day: '2025-03-06', lastDay: '2025-03-06', rows: 1 });
    expect(decodeEvent({ ...e, schemaVersion: 2 } as StoredEvent).ok).toBe(false); // v1 data claimed as v2: lastDay and rows missing
  });
});

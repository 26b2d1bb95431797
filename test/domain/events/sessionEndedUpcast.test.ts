import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../../../src/app/journalio/decodeEvent.js';
import { CURRENT_SCHEMA_VERSION } from '../../../src/domain/events/domainEvent.js';
import { storedEvent } from './storedEvent.js';

// SessionEnded v2 adds the reason CREDENTIALS_CHANGED (a TOTP reset under a live session); security logs written with v1 still read.
const V1_JSON = '{"address":"127.0.0.1","reason":"USER_REMOVED","user":"erin"}';

describe('SessionEnded v1 → v2', () => {
  it('is written as v2 today', () => expect(CURRENT_SCHEMA_VERSION.SessionEnded).toBe(2));

  it('reads the old v1 JSON back unchanged', () => {
    const r = decodeEvent(storedEvent('SessionEnded', JSON.parse(V1_JSON), 1));
    expect(r.ok && r.event).toEqual({ type: 'SessionEnded', data: { address: '127.0.0.1', reason: 'USER_REMOVED', user: 'erin' } });
  });

  it('reads v2 with the new reason, and refuses a reason it does not know, naming the field', () => {
    const v2 = decodeEvent(storedEvent('SessionEnded', { address: '127.0.0.1', reason: 'CREDENTIALS_CHANGED', user: 'frank' }, 2));
    expect(v2.ok).toBe(true);
    const bad = decodeEvent(storedEvent('SessionEnded', { address: '127.0.0.1', reason: 'STOLEN', user: 'frank' }, 2));
    expect(!bad.ok && bad.message).toMatch(/data\.reason/);
  });
});

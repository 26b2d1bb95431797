import { describe, expect, it } from 'vitest';
import { COL, EVENT_COLUMNS } from '../../../src/adapters/journal/sqliteSchema.js';

describe('raw row columns', () => {
  it('COL gives each column its index in EVENT_COLUMNS, the order every query selects them', () => {
    const names = EVENT_COLUMNS.split(',').map((c) => c.trim());
    expect(Object.fromEntries(names.map((n, i) => [n, i]))).toEqual(COL);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DataConfigSchema } from '../../../src/app/config/dataConfig.js';

// Issue 15 item 11: the Tushare token travels in the request body, so the default URL must be TLS.
describe('data config: Tushare URL', () => {
  it('defaults to https when the file names no URL', () => {
    expect(DataConfigSchema.parse({}).providers.tushare.url).toBe('https://api.tushare.pro');
    expect(DataConfigSchema.parse({ providers: { tushare: {} } }).providers.tushare.url).toBe('https://api.tushare.pro');
  });

  it('config/data.yaml ships the https URL', () => {
    const cfg = DataConfigSchema.parse(parse(readFileSync(new URL('../../../config/data.yaml', import.meta.url), 'utf8')));
    expect(cfg.providers.tushare.url).toBe('https://api.tushare.pro');
  });
});

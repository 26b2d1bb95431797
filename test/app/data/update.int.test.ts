import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src/app/config/index.js';
import { openDataContext, updateFromProvider } from '../../../src/app/data/index.js';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import type { Bar } from '../../../src/domain/index.js';
import { startFakeServer, text, tushareOk, weekdays, type FakeServer } from '../../adapters/providers/fakeVendorServer.js';

// Incremental update with failover, against local stand-ins for both vendors (no network here):
// JQData (primary) is down, Tushare (backup) answers; the switch is journaled before its data is used.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-update-'));
const servers: FakeServer[] = [];
afterAll(async () => { for (const s of servers) await s.close(); });

const FIELDS = ['ts_code', 'trade_date', 'open', 'high', 'low', 'close', 'pre_close', 'change', 'pct_chg', 'vol', 'amount'];

describe('data update', () => {
  it('fetches from the day after the last stored bar, fails over to the backup, journals the switch, stores the bars', async () => {
    const jq = await startFakeServer(() => text('service unavailable', 503));
    const ts = await startFakeServer((body) => {
      const p = body.params as Record<string, string>;
      const days = weekdays(`${p.start_date!.slice(0, 4)}-${p.start_date!.slice(4, 6)}-${p.start_date!.slice(6)}`, `${p.end_date!.slice(0, 4)}-${p.end_date!.slice(4, 6)}-${p.end_date!.slice(6)}`);
      return tushareOk(FIELDS, days.map((d) => ['600000.SH', d.replace(/-/g, ''), 10, 10.2, 9.9, 10.1, 10, 0.1, 1, 1000, 1010]));
    });
    servers.push(jq, ts);
    const config = DataConfigSchema.parse({
      store: { path: join(work, 'store.sqlite') }, journal: join(work, 'data-journal.sqlite'),
      providers: {
        primary: 'jqdata', backup: 'tushare', timeoutMs: 2000,
        jqdata: { url: jq.url, mobEnv: 'M', pwdEnv: 'P' }, tushare: { url: ts.url, tokenEnv: 'T', callsPerMinute: 500 },
      },
      policy: { OHLC_INCONSISTENT: 'reject' },
    });
    const c = await openDataContext({ config, packageRoot: repo, create: true });
    try {
      const seed: Bar = { symbol: '600000.SH' as Bar['symbol'], day: '2025-03-03' as Bar['day'], open: 10_000, high: 10_200, low: 9_900, close: 10_100, volume: 100_000, amountFen: 101_000_000, preClose: 10_000, isSt: 0 };
      expect(isRight(c.store.upsertBars([seed], { source: 'seed', knownFrom: '2025-03-03' }))).toBe(true);
      // 2025-03-07 18:00 Beijing: after Friday's close.
      const s = await updateFromProvider(c, 'jqdata', { M: 'm', P: 'p', T: 'token' }, Date.parse('2025-03-07T10:00:00Z'));
      expect(s).toMatchObject({ from: '2025-03-04', to: '2025-03-07', provider: 'jqdata→tushare', rows: 4, inserted: 4 });
      expect(c.store.bars({ symbols: ['600000.SH'], from: '2025-03-01', to: '2025-03-31' }).map((b) => b.day)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);
      expect(jq.requests.length).toBeGreaterThan(1); // retried before giving up
      expect(ts.requests.every((r) => r.body.api_name === 'daily')).toBe(true);
    } finally {
      await c.close();
    }
    const ev = await readJournalFile(join(work, 'data-journal.sqlite'), undefined);
    if (!isRight(ev)) throw new Error(ev.left.message);
    const switches = ev.right.filter((e) => e.type === 'ProviderSwitched');
    expect(switches).toHaveLength(1);
    expect(switches[0]!.data).toMatchObject({ from: 'jqdata', to: 'tushare', method: 'dailyBars', reason: { code: 'PROVIDER_UNAVAILABLE' } });
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The data pipeline through the compiled CLI, on hand-made Tushare-format files (and the real
// SSE-50 export when ASHARE_FIXTURES_DIR is set).
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-data-'));
const ashare = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, TUSHARE_TOKEN: '', JQDATA_MOB: '', JQDATA_PWD: '' } });
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

const HEADER = 'ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount';
// 600000.SH over four trading days in March 2025 (vol in lots, amount in thousand CNY).
const GOOD = [
  '600000.SH,20250303,10.00,10.20,9.90,10.10,10.00,0.10,1.0,10000,10100',
  '600000.SH,20250304,10.10,10.30,10.00,10.20,10.10,0.10,1.0,10000,10200',
  '600000.SH,20250305,10.20,10.40,10.10,10.30,10.20,0.10,1.0,10000,10300',
  '600000.SH,20250306,10.30,10.50,10.20,10.40,10.30,0.10,1.0,10000,10400',
];

describe('ashare data', () => {
  const store = join(work, 'store.sqlite');
  const good = join(work, 'good.csv');
  writeFileSync(good, [HEADER, ...GOOD].join('\n') + '\n');

  it('imports a file into the store, idempotently, and reports rows, symbols, range and findings', () => {
    const a = ashare('data', 'import', '--source', 'tushare-csv', '--path', good, '--store', store, '--json');
    expect(a.status, a.stderr).toBe(0);
    expect(json(a)).toMatchObject({ rows: 4, symbols: 1, firstDay: '2025-03-03', lastDay: '2025-03-06', inserted: 4, findings: {} });
    const b = json(ashare('data', 'import', '--source', 'tushare-csv', '--path', good, '--store', store, '--json'));
    expect(b).toMatchObject({ rows: 4, inserted: 0, updated: 0, unchanged: 4 });
    const st = json(ashare('data', 'status', '--store', store, '--json'));
    expect(st.tables.bars).toMatchObject({ keys: 4, firstDay: '2025-03-03', lastDay: '2025-03-06' });
  });

  it('data status without --json prints readable lines, one per table (issue 15 item 11)', () => {
    const r = ashare('data', 'status', '--store', store);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trimStart().startsWith('{')).toBe(false);
    expect(r.stdout).toContain(store);
    expect(r.stdout).toMatch(/^\s*bars\s+4 keys.*2025-03-03 … 2025-03-06/m);
  });

  it('a malformed file is refused with file and line under --strict, and the store is untouched', () => {
    const bad = join(work, 'bad.csv');
    writeFileSync(bad, [HEADER, GOOD[0]!.replace('20250303', '20250310'), '600000.SH,20250311,10.00,abc,9.90,10.10,10.00,0.1,1.0,10000,10100'].join('\n') + '\n');
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', bad, '--store', store, '--strict');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('bad.csv');
    expect(r.stderr).toMatch(/line 3|:3/);
    expect(json(ashare('data', 'status', '--store', store, '--json')).tables.bars.keys).toBe(4);
  });

  it('injected faults are rejected or quarantined by policy, each journaled with the row as received', () => {
    const faults = join(work, 'faults.csv');
    writeFileSync(faults, [HEADER,
      '600010.SH,20250303,10.00,10.20,9.90,10.10,10.00,0.10,1.0,10000,10100',
      '600010.SH,20250304,10.10,9.00,10.00,10.20,10.10,0.10,1.0,10000,10200', // high < low
      '600010.SH,20250305,10.20,10.40,10.10,10.30,10.20,0.10,1.0,10000,10300',
      '600010.SH,20250305,10.20,10.40,10.10,10.30,10.20,0.10,1.0,10000,10300', // duplicate day
      '600010.SH,20250306,14.40,14.50,14.30,14.42,10.30,4.12,40.0,10000,14400', // +40% on a 10% board
    ].join('\n') + '\n');
    const cfg = join(work, 'data.yaml');
    writeFileSync(cfg, readFileSync(join(repo, 'config', 'data.yaml'), 'utf8').replace('journal/market-data.journal.sqlite', join(work, 'data-journal.sqlite')));
    const r = json(ashare('data', 'import', '--source', 'tushare-csv', '--path', faults, '--store', store, '--config', cfg, '--json'));
    expect(r.findings).toMatchObject({ OHLC_INCONSISTENT: 1, DUPLICATE: 1, BAND_VIOLATION: 1 });
    expect(r.rows).toBe(2); // the clean first day and the first of the duplicated day
    const events = json(ashare('journal', 'inspect', join(work, 'data-journal.sqlite'), '--json', '--type', 'DataRejected'));
    expect(events.selected.map((e: { data: { kind: string; policy: string } }) => `${e.data.kind}:${e.data.policy}`).sort())
      .toEqual(['BAND_VIOLATION:quarantine', 'DUPLICATE:reject', 'OHLC_INCONSISTENT:reject']);
    expect(events.selected.find((e: { data: { kind: string } }) => e.data.kind === 'OHLC_INCONSISTENT').data.before).toMatchObject({ high: 9_000, low: 10_000 });
  });

  it('exports canonical CSV, and a backtest runs on the store', () => {
    const out = join(work, 'export.csv');
    expect(ashare('data', 'export', '--symbols', '600000.SH', '--from', '2025-03-01', '--to', '2025-03-31', '--out', out, '--store', store).status).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 2)).toEqual([
      'symbol,date,open,high,low,close,volume,amount,pre_close,is_st', '600000.SH,2025-03-03,10.00,10.20,9.90,10.10,1000000,10100000.00,10.00,0',
    ]);
    const cfg = join(work, 'bt.yaml');
    writeFileSync(cfg, readFileSync(join(repo, 'config', 'backtest.yaml'), 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
      .replace(/  source: synthetic\n  synthetic:\n(    .*\n)+/, `  source: store\n  store: ${store}\n`));
    const bt = ashare('backtest', '--config', cfg, '--json');
    expect(bt.status, bt.stderr).toBe(0);
    expect(json(bt)).toMatchObject({ days: 4, symbols: 2 }); // 2025-03-03 … 03-06: 600000.SH and the accepted 600010.SH rows
  });

  it('an update without vendor credentials says which variable to set; a wrong store key is one sentence', () => {
    const u = ashare('data', 'update', '--source', 'tushare', '--store', store);
    expect(u.status).toBe(3);
    expect(u.stderr).toContain('TUSHARE_TOKEN');
    const k1 = join(work, 'k1'), k2 = join(work, 'k2');
    writeFileSync(k1, 'ab'.repeat(32), { mode: 0o600 });
    writeFileSync(k2, 'cd'.repeat(32), { mode: 0o600 });
    const enc = join(work, 'enc.sqlite');
    expect(ashare('data', 'import', '--source', 'tushare-csv', '--path', good, '--store', enc, '--key-file', k1).status).toBe(0);
    expect(readFileSync(enc).includes(Buffer.from('600000.SH'))).toBe(false);
    const w = ashare('data', 'status', '--store', enc, '--key-file', k2);
    expect(w.status).toBe(4);
    expect(w.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('every file source imports from the CLI: JQData, Wind and a generic CSV with a column map', () => {
    const jq = join(work, '600519.XSHG.csv');
    writeFileSync(jq, 'date,open,close,high,low,volume,money,paused\n2025-03-03,1500.00,1510.00,1520.00,1490.00,100000,151000000.00,0\n2025-03-04,1510.00,1510.00,1510.00,1510.00,0,0,1\n');
    const j = json(ashare('data', 'import', '--source', 'jqdata-csv', '--path', jq, '--store', join(work, 'jq.sqlite'), '--json'));
    expect(j).toMatchObject({ rows: 1, symbols: 1, suspendedRows: 1, firstDay: '2025-03-03' });
    const wind = join(work, 'wind.csv');
    writeFileSync(wind, 'windcode,date,open,high,low,close,volume,amt\n000001.SZ,2025-03-03,11.00,11.20,10.90,11.10,1000000,11100000\n');
    expect(json(ashare('data', 'import', '--source', 'wind-csv', '--path', wind, '--store', join(work, 'w.sqlite'), '--json'))).toMatchObject({ rows: 1, symbols: 1 });
    const gen = join(work, 'generic.csv');
    writeFileSync(gen, 'code;day;o;h;l;c;lots;k\n'.replace(/;/g, ',') + '300750.SZ,2025-03-03,200,204,198,202,500,10100\n');
    const g = ashare('data', 'import', '--source', 'csv', '--path', gen, '--store', join(work, 'g.sqlite'), '--json',
      '--columns', 'symbol=code,date=day,open=o,high=h,low=l,close=c,volume=lots,amount=k,volumeUnit=lots,amountUnit=thousand');
    expect(g.status, g.stderr).toBe(0);
    expect(json(g)).toMatchObject({ rows: 1, symbols: 1 });
    const out = join(work, 'g.csv');
    ashare('data', 'export', '--from', '2025-03-01', '--to', '2025-03-31', '--out', out, '--store', join(work, 'g.sqlite'));
    // 500 lots = 50,000 shares; 10,100 thousand CNY = 10,100,000.00 CNY.
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe('300750.SZ,2025-03-03,200.00,204.00,198.00,202.00,50000,10100000.00,,0');
    expect(ashare('data', 'import', '--source', 'csv', '--path', gen, '--store', join(work, 'g.sqlite'), '--columns', 'date=day').status).toBe(2);
  });

  const fixtures = process.env.ASHARE_FIXTURES_DIR;
  it.skipIf(!fixtures || !existsSync(join(fixtures ?? '', 'sse50_tushare_2025')))('imports the real SSE-50 export: 9,968 bars, 50 symbols, only the 32 suspension gaps found', () => {
    const r = json(ashare('data', 'import', '--source', 'tushare-csv', '--path', join(fixtures!, 'sse50_tushare_2025', 'daily_prices_sse_50.csv'), '--store', join(work, 'sse50.sqlite'), '--json'));
    expect(r).toMatchObject({ rows: 9968, symbols: 50, firstDay: '2025-01-02', lastDay: '2025-10-31', findings: { CALENDAR_GAP: 32 } });
  });
});

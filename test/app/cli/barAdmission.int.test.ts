import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Issue 15 items 1, 3, 4 through the compiled CLI: bars the engine cannot trade on (prices off the
// tick, days the exchange was closed or the calendar does not cover, codes no board holds) are
// refused where they come in — `backtest --bars`, `simulate --bars`, `market.source: csv`,
// `data import` / `data validate` — with file, line, symbol and day; never exit 70 mid-run.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-bar-admission-'));
const ashare = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '', TUSHARE_TOKEN: '', JQDATA_MOB: '', JQDATA_PWD: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const json = (r: { out: string }) => JSON.parse(r.out);
const config = join(repo, 'config', 'backtest.yaml');

/** A fresh working folder (its journal/ shows whether a run left anything behind). */
let runs = 0;
const runDir = (): string => { const d = join(work, `run-${++runs}`); mkdirSync(d); return d; };
const journalFiles = (d: string): string[] => (existsSync(join(d, 'journal')) ? readdirSync(join(d, 'journal')) : []);

let good: string[];
let symbols: string[];
let instruments: string;
/** The generated file with row `i` (1-based data row) replaced by `f(fields)`; returns the path and the row's file line. */
function mutated(name: string, i: number, f: (fields: string[]) => string[]): { path: string; line: number; row: string[] } {
  const lines = good.slice();
  const row = f(lines[i]!.split(','));
  lines[i] = row.join(',');
  const path = join(work, name);
  writeFileSync(path, lines.join('\n'));
  return { path, line: i + 1, row };
}

beforeAll(() => {
  const g = join(work, 'good.csv');
  const r = ashare(work, 'market', 'generate', '--symbols', '6', '--days', '60', '--seed', '3', '--out', g);
  expect(r.code, r.err).toBe(0);
  good = readFileSync(g, 'utf8').split('\n');
  symbols = [...new Set(good.slice(1).filter(Boolean).map((l) => l.split(',')[0]!))].sort();
  instruments = join(work, 'instruments.csv');
  writeFileSync(instruments, `symbol,sector,total_shares\n${symbols.map((s, i) => `${s},S${i % 3},10000000000`).join('\n')}\n`);
});

describe('item 1: prices off the tick', () => {
  it('backtest --bars: exit 3 naming file, line, symbol, day and price — not exit 70 "malformed bar for matching" — and no journal left', () => {
    // Every price moved by half a fen (a 3-decimal CSV, or adjusted data): before the fix the run
    // died at its first fill with exit 70 "internal error: malformed bar for matching … (tick 10)".
    const shift = (l: string) => l.split(',').map((x, k) => (k >= 2 && k <= 5 ? (Number(x) + 0.005).toFixed(3) : x));
    const path = join(work, 'offtick.csv');
    writeFileSync(path, [good[0], ...good.slice(1).filter(Boolean).map((l) => shift(l).join(','))].join('\n') + '\n');
    const m = { path, line: 2, row: shift(good[1]!) };
    const d = runDir();
    const r = ashare(d, 'backtest', '--config', config, '--bars', m.path, '--instruments', instruments);
    expect(r.code, r.err).toBe(3);
    expect(r.err).not.toMatch(/malformed bar|internal error/);
    expect(r.err).toContain(`${m.path} line ${m.line}: ${m.row[0]} ${m.row[1]}: open ${m.row[2]}`);
    expect(r.err).toMatch(/off the 0\.01 CNY price tick/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(journalFiles(d)).toEqual([]);
  });

  it('simulate --bars: exit 3 with file and line', () => {
    const m = mutated('offtick-sim.csv', 3, (f) => { f[5] = (Number(f[5]) + 0.001).toFixed(3); return f; });
    const orders = join(work, 'orders.jsonl');
    writeFileSync(orders, `{"id":"a","day":"${good[1]!.split(',')[1]}","symbol":"${symbols[0]}","side":"buy","qty":100,"type":"market"}\n`);
    const r = ashare(work, 'simulate', '--bars', m.path, '--orders', orders);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${m.path} line ${m.line}: ${m.row[0]} ${m.row[1]}: close ${m.row[5]}`);
  });

  it('market.source: csv in a config: exit 3 with file and line', () => {
    const m = mutated('offtick-cfg.csv', 12, (f) => { f[3] = `${f[3]}1`; return f; }); // a 3rd/4th decimal on high
    const cfg = join(work, 'csv-source.yaml');
    writeFileSync(cfg, readFileSync(config, 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
      .replace(/  source: synthetic\n  synthetic:\n(    .*\n)+/, `  source: csv\n  bars: ${m.path}\n`));
    const r = ashare(runDir(), 'backtest', '--config', cfg);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${m.path} line ${m.line}: ${m.row[0]} ${m.row[1]}: high ${m.row[3]}`);
  });
});

describe('item 3: days the exchange was closed, and days beyond the calendar', () => {
  /** A copy of the last row of the file dated `day`. */
  const withDay = (name: string, day: string) => {
    const last = good.filter(Boolean).length - 1;
    const lines = good.filter(Boolean);
    const f = lines[last]!.split(',');
    f[1] = day;
    lines.push(f.join(','));
    const path = join(work, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return { path, line: lines.length, symbol: f[0]! };
  };

  it('a Saturday row: exit 3 naming line and day; --allow-non-trading-days runs (and says so in --help)', () => {
    const m = withDay('saturday.csv', '2022-04-09');
    const r = ashare(runDir(), 'backtest', '--config', config, '--bars', m.path);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${m.path} line ${m.line}: ${m.symbol} 2022-04-09: 2022-04-09 is not a trading day`);
    expect(r.err).toContain('--allow-non-trading-days');
    const ok = ashare(runDir(), 'backtest', '--config', config, '--bars', m.path, '--allow-non-trading-days', '--json');
    expect(ok.code, ok.err).toBe(0);
    expect(json(ok).days).toBe(61);
    for (const cmd of ['backtest', 'simulate']) expect(ashare(work, cmd, '--help').out).toContain('--allow-non-trading-days');
    expect(ashare(work, 'data', '--help').out).toContain('--allow-non-trading-days');
  });

  it('stray rows dated 1980 and 2030: exit 3, the calendar does not cover them, even with --allow-non-trading-days', () => {
    for (const day of ['1980-01-02', '2030-01-02']) {
      const m = withDay(`stray-${day}.csv`, day);
      const r = ashare(runDir(), 'backtest', '--config', config, '--bars', m.path, '--allow-non-trading-days');
      expect(r.code, r.err).toBe(3);
      expect(r.err).toContain(`${m.path} line ${m.line}: ${m.symbol} ${day}: the exchange calendar`);
      expect(r.err).toMatch(/does not cover/);
    }
  });
});

describe('item 4: unassigned codes', () => {
  it('123456.SH: exit 3 with file and line — in a backtest even when the instruments file lists it (the engine has no tick, lot or band for it)', () => {
    const m = mutated('unassigned.csv', 5, (f) => { f[0] = '123456.SH'; return f; });
    const r = ashare(runDir(), 'backtest', '--config', config, '--bars', m.path);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${m.path} line ${m.line}: 123456.SH is not an assigned A-share code`);
    const inst = join(work, 'instruments-123456.csv');
    writeFileSync(inst, `${readFileSync(instruments, 'utf8')}123456.SH,S9,10000000000\n`);
    const b = ashare(runDir(), 'backtest', '--config', config, '--bars', m.path, '--instruments', inst);
    expect(b.code, b.err).toBe(3);
    expect(b.err).toContain(`${m.path} line ${m.line}: 123456.SH is not an assigned A-share code`);
  });

  it('simulate: refused with file and line; accepted when --instruments lists it, its orders rejected one by one', () => {
    const m = mutated('unassigned-sim.csv', 5, (f) => { f[0] = '123456.SH'; return f; });
    const orders = join(work, 'orders-123456.jsonl');
    writeFileSync(orders, `{"id":"a","day":"${m.row[1]}","symbol":"123456.SH","side":"buy","qty":100,"type":"market"}\n`);
    const r = ashare(work, 'simulate', '--bars', m.path, '--orders', orders);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${m.path} line ${m.line}: 123456.SH is not an assigned A-share code`);
    const inst = join(work, 'sim-instruments.csv');
    writeFileSync(inst, `symbol,name,list_date,delist_date\n123456.SH,X,2000-01-04,\n`);
    const ok = ashare(work, 'simulate', '--bars', m.path, '--orders', orders, '--instruments', inst);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out.split('\n')[0]!)).toMatchObject({ id: 'a', status: 'rejected', reason: 'BAD_ORDER' });
  });
});

describe('data import and data validate', () => {
  const HEADER = 'ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount';
  const dataConfig = (name: string, extra = '') => {
    const cfg = join(work, `${name}.yaml`);
    writeFileSync(cfg, readFileSync(join(repo, 'config', 'data.yaml'), 'utf8')
      .replace('journal/market-data.journal.sqlite', join(work, `${name}-journal.sqlite`)) + extra);
    return { cfg, journal: join(work, `${name}-journal.sqlite`) };
  };
  const file = join(work, 'tushare-bad.csv');
  writeFileSync(file, [HEADER,
    '600000.SH,20250303,10.00,10.20,9.90,10.10,10.00,0.10,1.0,10000,10100',
    '600000.SH,20250304,10.105,10.30,10.00,10.20,10.10,0.10,1.0,10000,10200', // off the tick
    '600000.SH,20250308,10.20,10.40,10.10,10.30,10.20,0.10,1.0,10000,10300', // a Saturday
    '600000.SH,20300102,10.20,10.40,10.10,10.30,10.20,0.10,1.0,10000,10300', // beyond the calendar
    '123456.SH,20250305,10.20,10.40,10.10,10.30,10.20,0.10,1.0,10000,10300', // no board
  ].join('\n') + '\n');

  it('import: each refused by default policy as its own kind, journaled, and the first named with file, line, symbol and day', () => {
    const { cfg, journal } = dataConfig('import-default');
    const r = ashare(work, 'data', 'import', '--source', 'tushare-csv', '--path', file, '--store', join(work, 'import-default.sqlite'), '--config', cfg, '--json');
    expect(r.code, r.err).toBe(0);
    const s = json(r);
    expect(s.findings).toMatchObject({ OFF_TICK: 1, NOT_TRADING_DAY: 1, OUTSIDE_CALENDAR: 1, UNKNOWN_CODE: 1 });
    expect(s).toMatchObject({ rows: 1, rejected: 4 });
    const ev = json(ashare(work, 'journal', 'inspect', journal, '--json', '--type', 'DataRejected')).selected
      .map((e: { data: { kind: string; symbol: string; day: string; policy: string } }) => `${e.data.kind} ${e.data.symbol} ${e.data.day} ${e.data.policy}`).sort();
    expect(ev).toEqual([
      'NOT_TRADING_DAY 600000.SH 2025-03-08 reject', 'OFF_TICK 600000.SH 2025-03-04 reject',
      'OUTSIDE_CALENDAR 600000.SH 2030-01-02 reject', 'UNKNOWN_CODE 123456.SH 2025-03-05 reject',
    ]);
    const text = ashare(work, 'data', 'import', '--source', 'tushare-csv', '--path', file, '--store', join(work, 'import-text.sqlite'), '--config', dataConfig('import-text').cfg);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(`${file} line 3: 600000.SH 2025-03-04: OFF_TICK`);
  });

  it('import --allow-non-trading-days keeps the Saturday row, still refuses 2030', () => {
    const { cfg } = dataConfig('import-allow');
    const s = json(ashare(work, 'data', 'import', '--source', 'tushare-csv', '--path', file, '--store', join(work, 'import-allow.sqlite'), '--config', cfg, '--json', '--allow-non-trading-days'));
    expect(s).toMatchObject({ rows: 2, rejected: 3 });
    expect(s.findings.OUTSIDE_CALENDAR).toBe(1);
  });

  it('validate: bars stored under a lenient policy fail validation (exit 1) naming symbol, day and kind', () => {
    const lenient = '  OFF_TICK: warn\n  UNKNOWN_CODE: warn\n';
    const { cfg } = dataConfig('lenient');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^ +(OFF_TICK|UNKNOWN_CODE):.*\n/gm, '').replace(/^policy:.*\n/m, (l) => `${l}${lenient}`));
    const store = join(work, 'lenient.sqlite');
    const imp = json(ashare(work, 'data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg, '--json'));
    expect(imp).toMatchObject({ rows: 3 }); // the good row, the off-tick row and the 123456.SH row
    const v = ashare(work, 'data', 'validate', '--store', store, '--config', dataConfig('validate').cfg);
    expect(v.code, v.out + v.err).toBe(1);
    expect(v.out).toMatch(/600000\.SH 2025-03-04: OFF_TICK/);
    expect(v.out).toMatch(/123456\.SH 2025-03-05: UNKNOWN_CODE/);
    // And a backtest on that store is refused at load, not at matching.
    const bt = join(work, 'store-bt.yaml');
    writeFileSync(bt, readFileSync(config, 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
      .replace(/  source: synthetic\n  synthetic:\n(    .*\n)+/, `  source: store\n  store: ${store}\n`));
    const b = ashare(runDir(), 'backtest', '--config', bt);
    expect(b.code, b.err).toBe(3);
    expect(b.err).toMatch(/600000\.SH 2025-03-04: open 10\.105 is off the 0\.01 CNY price tick/);
  });
});

describe('item 11: a backtest on bare bars says why it bought nothing', () => {
  it('without --instruments the disclosure rule denies every buy: a warning on stderr names the rule and both ways out', () => {
    const bare = ashare(runDir(), 'backtest', '--config', config, '--bars', join(work, 'good.csv'), '--json');
    expect(bare.code, bare.err).toBe(0);
    expect(json(bare).metrics.trades).toBe(0);
    expect(bare.err).toMatch(/warning: \d+ buys? denied by the disclosure rule/);
    expect(bare.err).toContain('issued shares');
    expect(bare.err).toContain('--instruments');
    expect(bare.err).toMatch(/disabledRules.*risk\.yaml|risk\.yaml.*disabledRules/);
    const withShares = ashare(runDir(), 'backtest', '--config', config, '--bars', join(work, 'good.csv'), '--instruments', instruments, '--json');
    expect(withShares.code, withShares.err).toBe(0);
    expect(json(withShares).metrics.trades).toBeGreaterThan(0);
    expect(withShares.err).not.toContain('disclosure');
  });
});

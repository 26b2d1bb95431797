import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../../src/domain/data/finding.js';

// `ashare data import` through the compiled CLI: imports that read nothing are errors, a second
// import of the same file changes nothing (store and data journal), --symbol filters, and
// adjusted (qfq) input is recognised and validated by rules that fit it without flooding the journal.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-data-import-'));
const ashare = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, TUSHARE_TOKEN: '', JQDATA_MOB: '', JQDATA_PWD: '' } });
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

/** A data config whose journal lives at `journal` (the default would write under the working folder). */
function config(name: string): { cfg: string; journal: string } {
  const journal = join(work, `${name}-journal.sqlite`);
  const cfg = join(work, `${name}.yaml`);
  writeFileSync(cfg, readFileSync(join(repo, 'config', 'data.yaml'), 'utf8').replace('journal/market-data.journal.sqlite', journal));
  return { cfg, journal };
}
const journalEvents = (journal: string): { events: number; types: Record<string, number> } =>
  (existsSync(journal) ? json(ashare('journal', 'inspect', journal, '--json')) : { events: 0, types: {} });

const HEADER = 'ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount';
/** A Tushare row with 10,000 lots traded at `close` (amount in thousand CNY). */
const row = (code: string, day: string, o: number, h: number, l: number, c: number, pc: number) =>
  `${code},${day},${o.toFixed(2)},${h.toFixed(2)},${l.toFixed(2)},${c.toFixed(2)},${pc.toFixed(2)},0,0,10000,${(c * 1000).toFixed(2)}`;

describe('data import: nothing read is an error naming the file', () => {
  const { cfg } = config('empty');
  const store = join(work, 'empty-store.sqlite');
  const cases: [string, string | Buffer][] = [
    ['empty.csv', ''],
    ['header-only.csv', `${HEADER}\n`],
    ['binary.csv', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256))],
    ['corrupt.csv.gz', Buffer.concat([gzipSync(Buffer.from(`${HEADER}\n`)).subarray(0, 12), Buffer.from('not gzip at all')])],
  ];
  it.each(cases)('%s: exit 3, the file named, nothing stored', (name, body) => {
    const p = join(work, name);
    writeFileSync(p, body);
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', p, '--store', store, '--config', cfg);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toContain(name);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('data import: a file whose every row is refused is an error, not "imported 0 bars"', () => {
  // Two rows, each with its high below its low: OHLC_INCONSISTENT, policy reject.
  const file = join(work, 'all-rejected.csv');
  writeFileSync(file, [HEADER, row('600000.SH', '20250303', 10.00, 9.50, 10.20, 10.00, 10.00), row('600000.SH', '20250304', 10.00, 9.60, 10.30, 10.10, 10.00)].join('\n') + '\n');

  it('exit 3, one sentence naming the file and pointing at the printed findings; nothing stored; the rejection journaled once', () => {
    const { cfg, journal } = config('rejected');
    const store = join(work, 'rejected.sqlite');
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`no row of ${file} was admitted: all 2 bars read were rejected or quarantined (see the findings printed`);
    expect(r.stdout).toMatch(/^admitted none of the 2 bars read .*findings \{"OHLC_INCONSISTENT":2\}; 2 rejected/);
    expect(r.stdout).not.toContain('imported 0 bars');
    expect(json(ashare('data', 'status', '--store', store, '--json')).tables.bars.keys).toBe(0);
    expect(journalEvents(journal).types).toEqual({ DataRejected: 1 });
    const again = ashare('data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg, '--json');
    expect(again.status).toBe(3);
    expect(json(again)).toMatchObject({ rows: 0, rejected: 2, findings: { OHLC_INCONSISTENT: 2 } });
    expect(journalEvents(journal).types).toEqual({ DataRejected: 1 });
  });
});

describe('data import: importing twice changes nothing; --symbol filters', () => {
  // 600000.SH trades all week and jumps 40% on Friday (a band violation, quarantined by policy);
  // 603300.SH lists on Wednesday (no price limit on its first days) and doubles.
  const file = join(work, 'ipo.csv');
  writeFileSync(file, [HEADER,
    row('600000.SH', '20250303', 10.00, 10.20, 9.90, 10.10, 10.00),
    row('600000.SH', '20250304', 10.10, 10.30, 10.00, 10.20, 10.10),
    row('600000.SH', '20250305', 10.20, 10.40, 10.10, 10.30, 10.20),
    row('600000.SH', '20250306', 10.30, 10.50, 10.20, 10.40, 10.30),
    row('600000.SH', '20250307', 14.40, 14.60, 14.30, 14.56, 10.40),
    row('603300.SH', '20250305', 15.00, 20.50, 14.80, 20.00, 10.00),
    row('603300.SH', '20250306', 20.00, 26.50, 19.80, 26.00, 20.00),
    row('603300.SH', '20250307', 26.00, 27.00, 25.00, 26.50, 26.00),
  ].join('\n') + '\n');

  it('the second import of a file adds no journal event and reports the same findings', () => {
    const { cfg, journal } = config('twice');
    const store = join(work, 'twice.sqlite');
    const a = ashare('data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg, '--json');
    expect(a.status, a.stderr).toBe(0);
    const first = json(a);
    expect(first).toMatchObject({ rows: 7, symbols: 2, inserted: 7, quarantined: 1, findings: { BAND_VIOLATION: 1 } });
    const after1 = journalEvents(journal);
    expect(after1.types).toEqual({ DataRejected: 1 });
    const b = ashare('data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg, '--json');
    expect(b.status, b.stderr).toBe(0);
    expect(json(b)).toMatchObject({ rows: 7, inserted: 0, updated: 0, unchanged: 7, quarantined: 1, findings: first.findings });
    expect(journalEvents(journal)).toEqual(after1);
  });

  it('--symbol CODE imports that symbol only; a code the file lacks is an error', () => {
    const { cfg } = config('symbol');
    const store = join(work, 'symbol.sqlite');
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg, '--symbol', '600000.SH', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ rows: 4, symbols: 1, firstDay: '2025-03-03', quarantined: 1, otherSymbolRows: 3 });
    expect(json(ashare('data', 'status', '--store', store, '--json')).tables.bars.keys).toBe(4);
    const none = ashare('data', 'import', '--source', 'tushare-csv', '--path', file, '--store', store, '--config', cfg, '--symbol', '000001.SZ');
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('000001.SZ');
    expect(none.stderr).toContain('ipo.csv');
  });
});

// The forward-adjusted Tushare set (PROVENANCE.md: qfq prices, unadjusted vol and amount). A slice
// of three symbols is written to a temporary file at test time; nothing is copied into the project.
const fixtures = process.env.ASHARE_FIXTURES_DIR;
const QFQ = join(fixtures ?? '', 'ashare_qfq_tushare_2015_2023', 'daily_bars_qfq.csv.gz');
const hasQfq = !!fixtures && existsSync(QFQ);
if (!hasQfq) console.log('dataImport.int.test.ts: ASHARE_FIXTURES_DIR is unset (or lacks ashare_qfq_tushare_2015_2023); skipping the adjusted-data import');

describe.skipIf(!hasQfq)('data import of forward-adjusted (qfq) data', () => {
  const SYMBOLS = ['000001.SZ', '600519.SH', '688981.SH'];
  const slice = join(work, 'qfq-slice.csv');
  const rules = FINDING_KINDS.length; // the journal holds at most one event per symbol and kind
  if (hasQfq) {
    const lines = gunzipSync(readFileSync(QFQ)).toString('utf8').split('\n');
    writeFileSync(slice, [lines[0], ...lines.filter((l) => SYMBOLS.includes(l.slice(0, 9)))].join('\n') + '\n');
  }

  it('is recognised without a flag: exit 3, saying it looks forward-adjusted and what to pass; nothing stored or journaled', () => {
    const { cfg, journal } = config('qfq-detect');
    const store = join(work, 'qfq-detect.sqlite');
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', slice, '--store', store, '--config', cfg);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/forward-adjusted \(qfq\)/);
    expect(r.stderr).toContain('--adjusted qfq');
    expect(r.stderr).toContain('qfq-slice.csv');
    expect(journalEvents(journal).events).toBe(0);
  });

  it('--adjusted qfq: stored with a clear warning, the raw-price checks skipped, the journal bounded', () => {
    const { cfg, journal } = config('qfq-flag');
    const store = join(work, 'qfq-flag.sqlite');
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', slice, '--store', store, '--config', cfg, '--adjusted', 'qfq', '--json');
    expect(r.status, r.stderr).toBe(0);
    const s = json(r);
    expect(s).toMatchObject({ symbols: 3, adjusted: 'qfq', quarantined: 0, rejected: 0 });
    expect(s.rows).toBe(readFileSync(slice, 'utf8').trim().split('\n').length - 1);
    expect(s.findings.VOLUME_SANITY ?? 0).toBe(0);
    expect(s.findings.BAND_VIOLATION ?? 0).toBe(0);
    expect(r.stderr).toMatch(/warning: .*forward-adjusted \(qfq\)/);
    expect(r.stderr).toMatch(/not .*traded/);
    expect(journalEvents(journal).events).toBeLessThanOrEqual(SYMBOLS.length * rules);
    const help = ashare('data', '--help').stdout;
    for (const k of ['--adjusted qfq|hfq|none', 'BAND_VIOLATION', 'OFF_TICK', 'amount ÷ volume']) expect(help).toContain(k);
  });

  it('--adjusted none (validated as raw prices): thousands of rows quarantined, one journal event per symbol and rule with a count', () => {
    const { cfg, journal } = config('qfq-raw');
    const store = join(work, 'qfq-raw.sqlite');
    const r = ashare('data', 'import', '--source', 'tushare-csv', '--path', slice, '--store', store, '--config', cfg, '--adjusted', 'none', '--json');
    expect(r.status, r.stderr).toBe(0);
    const s = json(r);
    expect(s.quarantined + s.rejected).toBeGreaterThan(1000);
    const events = json(ashare('journal', 'inspect', journal, '--json', '--type', 'DataRejected'));
    expect(events.events).toBeLessThanOrEqual(SYMBOLS.length * rules);
    const rows = events.selected.reduce((n: number, e: { data: { rows: number } }) => n + e.data.rows, 0);
    expect(rows).toBe(s.quarantined + s.rejected);
    const keys = events.selected.map((e: { data: { symbol: string; kind: string; policy: string } }) => `${e.data.symbol}|${e.data.kind}|${e.data.policy}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

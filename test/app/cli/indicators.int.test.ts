import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// `ashare indicators` through the compiled CLI on a hand-made bar file. 600000.SH closes 10, 10, 10, 9
// with pre_close 9 on the 4th day (an ex-date: 1 CNY dividend), so the backward factor is 1, 1, 1, 10/9
// and the qfq closes are 10·(1/(10/9)) = 9 on every day; 000001.SZ closes 1, 2, 3, 4 with no action.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-ind-'));
const barsFile = join(work, 'bars.csv');
writeFileSync(barsFile, [
  'symbol,date,open,high,low,close,volume,amount,pre_close,is_st',
  '600000.SH,2024-01-02,10.00,10.00,10.00,10.00,100,1000.00,10.00,0',
  '600000.SH,2024-01-03,10.00,10.00,10.00,10.00,100,1000.00,10.00,0',
  '600000.SH,2024-01-04,10.00,10.00,10.00,10.00,100,1000.00,10.00,0',
  '600000.SH,2024-01-05,9.00,9.00,9.00,9.00,100,900.00,9.00,0',
  '000001.SZ,2024-01-02,1.00,1.00,1.00,1.00,10,10.00,,0',
  '000001.SZ,2024-01-03,2.00,2.00,2.00,2.00,10,20.00,1.00,0',
  '000001.SZ,2024-01-04,3.00,3.00,3.00,3.00,10,30.00,2.00,0',
  '000001.SZ,2024-01-05,4.00,4.00,4.00,4.00,10,40.00,3.00,0',
].join('\n') + '\n');

// Until main.ts registers the command, run the compiled command module the way main.ts would
// (same AppError → stderr/exit mapping) so the command itself is still tested; say so once.
let registered = true;
const DRIVER = `
const [cmdUrl, errUrl, ...args] = process.argv.slice(1);
const { indicatorsCommand } = await import(cmdUrl);
const { AppError } = await import(errUrl);
try { process.exitCode = await indicatorsCommand(args); }
catch (e) { if (!(e instanceof AppError)) throw e; process.stderr.write('ashare indicators: ' + e.message + '\\n'); process.exitCode = e.exitCode; }`;

function run(...args: string[]) {
  const viaCli = [join(repo, 'bin', 'ashare.js'), 'indicators', ...args];
  const viaModule = ['--input-type=module', '-e', DRIVER,
    pathToFileURL(join(repo, 'dist', 'src', 'app', 'cli', 'commands', 'indicators.js')).href,
    pathToFileURL(join(repo, 'dist', 'src', 'app', 'errors.js')).href, ...args];
  return spawnSync(process.execPath, registered ? viaCli : viaModule, { encoding: 'utf8' });
}

beforeAll(() => {
  // npm test compiles dist/ before vitest starts; rebuilding it here raced the other files' CLI children (a half-written module is exit 1).
  expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js')), 'dist/ is missing: run npx tsc -p tsconfig.build.json').toBe(true);
  const probe = spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), 'indicators', '--list', '--json'], { encoding: 'utf8' });
  if (probe.stderr.includes('unknown command "indicators"')) {
    registered = false;
    console.log('indicators.int.test.ts: `indicators` is not registered in main.ts yet; running the compiled command module directly');
  }
}, 120_000);

describe('ashare indicators', () => {
  it('--list --json: every indicator with its default params and outputs', () => {
    const r = run('--list', '--json');
    expect(r.status, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; params: Record<string, number>; outputs: string[] }[];
    expect(list.length).toBeGreaterThanOrEqual(25);
    expect(list).toContainEqual({ name: 'macd', params: { fast: 12, slow: 26, signal: 9 }, outputs: ['dif', 'dea', 'hist'] });
    expect(list).toContainEqual({ name: 'kdj', params: { n: 9, m1: 3, m2: 3 }, outputs: ['k', 'd', 'j'] });
  });

  it('--list: one line per indicator with defaults', () => {
    const r = run('--list');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kdj\s+ohlcv\s+n=9 m1=3 m2=3\s+-> k,d,j$/m);
  });

  it('forward-adjusts per symbol from pre_close by default: qfq SMA(2) of 600000.SH is 9 throughout', () => {
    const r = run('--bars', barsFile, '--name', 'sma', '--param', 'period=2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'symbol,date,value',
      '000001.SZ,2024-01-02,', '000001.SZ,2024-01-03,1.5', '000001.SZ,2024-01-04,2.5', '000001.SZ,2024-01-05,3.5',
      '600000.SH,2024-01-02,', '600000.SH,2024-01-03,9', '600000.SH,2024-01-04,9', '600000.SH,2024-01-05,9',
    ]);
  });

  it('--raw uses the prices as given: SMA(2) 10, 10, (10 + 9)/2 = 9.5', () => {
    const r = run('--bars', barsFile, '--name', 'sma', '--param', 'period=2', '--raw');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('600000.SH,2024-01-03,10\n600000.SH,2024-01-04,10\n600000.SH,2024-01-05,9.5\n');
  });

  it('turnover is adjusted with the prices: VWAP(1) = amount/volume = 1000·0.9/100 = 9', () => {
    const r = run('--bars', barsFile, '--name', 'vwap', '--param', 'period=1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('600000.SH,2024-01-02,9\n600000.SH,2024-01-03,9\n600000.SH,2024-01-04,9\n600000.SH,2024-01-05,9\n');
  });

  it('multi-output indicators print one column per output', () => {
    const r = run('--bars', barsFile, '--name', 'bollinger', '--param', 'period=2', '--param', 'k=1');
    expect(r.status, r.stderr).toBe(0);
    // 000001.SZ day 2: mean 1.5, population σ 0.5 → 2, 1.5, 1.
    expect(r.stdout).toContain('symbol,date,upper,mid,lower\n000001.SZ,2024-01-02,,,\n000001.SZ,2024-01-03,2,1.5,1\n');
  });

  // Raw 600000.SH closes 10, 10, 9: SMA(3) = 29/3, whose shortest round-trip form is 9.666666666666666.
  it('prints full precision by default (shortest round-trip: reads back as the same double); --precision N rounds', () => {
    const full = run('--bars', barsFile, '--name', 'sma', '--param', 'period=3', '--raw');
    expect(full.status, full.stderr).toBe(0);
    expect(full.stdout).toContain('600000.SH,2024-01-04,10\n600000.SH,2024-01-05,9.666666666666666\n');
    const cell = full.stdout.trim().split('\n').pop()!.split(',')[2]!;
    expect(Number(cell)).toBe((10 + 10 + 9) / 3);
    const explicit = run('--bars', barsFile, '--name', 'sma', '--param', 'period=3', '--raw', '--precision', 'full');
    expect(explicit.stdout).toBe(full.stdout);
    const six = run('--bars', barsFile, '--name', 'sma', '--param', 'period=3', '--raw', '--precision', '6');
    expect(six.status, six.stderr).toBe(0);
    expect(six.stdout).toContain('600000.SH,2024-01-04,10\n600000.SH,2024-01-05,9.666667\n');
    expect(run('--bars', barsFile, '--name', 'sma', '--param', 'period=3', '--raw', '--precision', '0').stdout).toContain('600000.SH,2024-01-05,10\n');
    for (const bad of ['x', '-1', '1.5', '21']) {
      const r = run('--bars', barsFile, '--name', 'sma', `--precision=${bad}`);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain('--precision takes full or an integer 0-20');
    }
    const help = run('--help');
    expect(help.stdout).toContain('--precision full|N');
    expect(help.stdout).toContain('shortest decimal that reads back as');
  });

  // The hand-worked case of test/domain/indicators/handComputed.test.ts (TA-Lib's SAR) through the CLI,
  // on nine trading days: first trend short from −DM, both reversals clamped, AF steps.
  it('parabolicSar prints TA-Lib\'s values', () => {
    const sarFile = join(work, 'sar.csv');
    const hl = [[10, 9], [9.9, 8.5], [9.6, 8], [10.5, 9], [10.8, 9.6], [11, 8.1], [10, 7.5], [9.5, 7], [9, 6.8]];
    const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12'];
    let prev = 9.2;
    writeFileSync(sarFile, ['symbol,date,open,high,low,close,volume,amount,pre_close,is_st', ...hl.map(([h, l], i) => {
      const c = i === 1 ? 9.8 : i === 0 ? 9.2 : (h! + l!) / 2;
      const row = `600000.SH,${days[i]},${c.toFixed(2)},${h!.toFixed(2)},${l!.toFixed(2)},${c.toFixed(2)},100,${(c * 100).toFixed(2)},${prev.toFixed(2)},0`;
      prev = Number(c.toFixed(2));
      return row;
    })].join('\n') + '\n');
    const r = run('--bars', sarFile, '--name', 'parabolicSar', '--raw');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[2])).toEqual(['', '10', '9.97', '8', '8', '11', '11', '11', '10.76']);
  });

  it('names match case-insensitively: MACD and ParabolicSAR print what macd and parabolicSar print (issue 15 item 11)', () => {
    const lower = run('--bars', barsFile, '--name', 'macd', '--param', 'fast=2', '--param', 'slow=3', '--param', 'signal=2');
    const upper = run('--bars', barsFile, '--name', 'MACD', '--param', 'fast=2', '--param', 'slow=3', '--param', 'signal=2');
    expect(upper.status, upper.stderr).toBe(0);
    expect(upper.stdout).toBe(lower.stdout);
    const sar = run('--bars', barsFile, '--name', 'PARABOLICSAR');
    expect(sar.status, sar.stderr).toBe(0);
    expect(sar.stdout).toBe(run('--bars', barsFile, '--name', 'parabolicSar').stdout);
  });

  it('usage errors name the unknown indicator, the unknown parameter and the bad value', () => {
    const a = run('--bars', barsFile, '--name', 'nosuch');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('"nosuch"');
    const b = run('--bars', barsFile, '--name', 'sma', '--param', 'length=3');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("sma has no parameter 'length'");
    const c = run('--bars', barsFile, '--name', 'sma', '--param', 'period=0');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('period must be an integer');
    const d = run('--name', 'sma');
    expect(d.status).toBe(2);
  });
});

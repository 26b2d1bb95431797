import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin } from '../service/serviceHarness.js';

// Issue 15 item 7: what the CLI creates is the owner's alone whatever the umask (files 0600, folders
// 0700); a key file others can read is warned about; an encrypted run writes no plain-text report
// beside its ciphertext unless asked where.
const run = (cwd: string, args: string[]) => spawnSync('/bin/sh', ['-c', `umask 022; exec "${process.execPath}" "${bin}" "$@"`, 'sh', ...args], {
  cwd, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' }, timeout: 120_000,
});
const mode = (p: string) => statSync(p).mode & 0o777;

describe('files the CLI creates', () => {
  it('are 0600 in 0700 folders under umask 022; an encrypted demo writes no plain report unless --report-dir; an open key file is warned about', () => {
    const work = mkdtempSync(join(tmpdir(), 'ashare-perm-'));
    const key = join(work, 'k.key');
    writeFileSync(key, 'ab'.repeat(32) + '\n', { mode: 0o644 });
    const r = run(work, ['demo', '--json', '--symbols', '8', '--days', '40', '--key-file', key]); // the default journal folder, created by the CLI
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/key file .*k\.key is readable by others \(mode 0644\)/);
    expect(r.stderr.match(/readable by others/g)).toHaveLength(1); // once, not per open
    const out = JSON.parse(r.stdout);
    expect(out.report).toBeNull();
    expect(mode(join(work, 'journal'))).toBe(0o700);
    const files = readdirSync(join(work, 'journal'));
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    for (const f of files) expect(mode(join(work, 'journal', f)), f).toBe(0o600);
    expect(files.some((f) => f.endsWith('.report'))).toBe(false);
    const asked = run(work, ['demo', '--json', '--symbols', '8', '--days', '40', '--key-file', key, '--report-dir', join(work, 'rep')]);
    expect(asked.status, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout).report).toBe(join(work, 'rep', 'report.html'));
    expect(mode(join(work, 'rep'))).toBe(0o700);
    for (const f of readdirSync(join(work, 'rep'))) expect(mode(join(work, 'rep', f)), f).toBe(0o600);
  });
});

describe('the market store and data journal that data import creates', () => {
  it('are 0600 in a 0700 folder under umask 022', () => {
    const work = mkdtempSync(join(tmpdir(), 'ashare-perm-data-'));
    const bars = join(work, 'bars.csv');
    // One good row (stored) and one whose high is below its low (rejected and journaled), so both files are made.
    writeFileSync(bars, [
      'ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount',
      '600000.SH,20250303,10.00,10.20,9.90,10.10,10.00,0,0,10000,10100.00',
      '600000.SH,20250304,10.10,9.50,10.30,10.20,10.10,0,0,10000,10200.00',
    ].join('\n') + '\n');
    const r = run(work, ['data', 'import', '--source', 'tushare-csv', '--path', bars, '--json']); // config/data.yaml's paths, under the working folder
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 1, rejected: 1, journaled: 1 });
    const dir = join(work, 'journal');
    expect(mode(dir)).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['market-store.sqlite', 'market-data.journal.sqlite', 'market-data.journal.sqlite.anchor']));
    for (const f of files) expect(mode(join(dir, f)), f).toBe(0o600);
  });
});

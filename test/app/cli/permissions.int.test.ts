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

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartOf } from '../../../src/adapters/lock/lockFile.js';

// The machine's storage states through the compiled CLI (`npm test` builds dist/ first): a full
// disk, read-only media, a second writer and a reused journal are storage/journal problems (exit 4)
// said in those words — never exit 70 "internal error" — and never leave a truncated report.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const bin = join(repo, 'bin', 'ashare.js');
const work = mkdtempSync(join(tmpdir(), 'ashare-storage-'));

function ashare(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** Every file under `dir`, relative, with its size. */
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(dir.length + 1)).sort();
const oneSentence = (err: string) => {
  expect(err).not.toContain('internal error');
  expect(err).not.toMatch(/\n\s+at /); // no stack
};

/** A tmpfs of `size` at a fresh folder, or the reason it cannot be made (not root, no mount). */
function mountTmpfs(name: string, size: string): { dir: string } | { skip: string } {
  const dir = join(work, name);
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? { dir } : { skip: `cannot mount a tmpfs (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})` };
}
const mounts: string[] = [];
const probe = mountTmpfs('probe', '64k');
const canMount = 'dir' in probe;
if (canMount) spawnSync('umount', [probe.dir]);
else console.log(`skipping the full-disk and read-only tests: ${probe.skip}`);

describe('storage failures through the CLI', () => {
  const demo = join(work, 'demo.sqlite');
  beforeAll(() => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js'))).toBe(true);
    const r = ashare('demo', '--symbols', '5', '--days', '30', '--journal', demo);
    expect(r.code, r.err).toBe(0);
  }, 120_000);
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
    rmSync(work, { recursive: true, force: true });
  });

  describe.skipIf(!canMount)('a full disk', () => {
    let full: string;
    beforeAll(() => {
      const m = mountTmpfs('full', '1m'); // room for a small journal, not for its 1 MB report.html
      if (!('dir' in m)) throw new Error(m.skip);
      mounts.push(m.dir);
      full = m.dir;
    });

    it('backtest: the journal is written, the report is not — exit 4 "the disk is full", no truncated report.html', () => {
      const journal = join(full, 'run.sqlite');
      const r = ashare('demo', '--symbols', '5', '--days', '30', '--journal', journal);
      expect(r.code, r.err).toBe(4);
      expect(r.err).toContain('the disk is full');
      expect(r.err).toContain('the report was not written');
      oneSentence(r.err);
      expect(tree(full)).toEqual(['run.sqlite', 'run.sqlite.anchor']); // the journal and its head anchor; no report folder, no half a report.html, no temporary file
      expect(ashare('journal', 'verify', journal).code).toBe(0);
      rmSync(journal);
      rmSync(`${journal}.anchor`);
    });

    it('report --out on a full disk: exit 4 "the disk is full", nothing left behind', () => {
      const out = join(full, 'rep');
      const r = ashare('report', '--journal', demo, '--out', out);
      expect(r.code, r.err).toBe(4);
      expect(r.err).toContain('the disk is full');
      oneSentence(r.err);
      expect(existsSync(join(out, 'report.html'))).toBe(false);
      expect(tree(full)).toEqual([]);
    });

    it('a report rewritten on a disk with room for one copy: the old report stays whole (temporary file, then rename)', () => {
      const m = mountTmpfs('one-copy', '2m'); // one 1.1 MB report.html fits, a second beside it does not
      if (!('dir' in m)) throw new Error(m.skip);
      mounts.push(m.dir);
      const out = join(m.dir, 'rep');
      expect(ashare('report', '--journal', demo, '--out', out).code).toBe(0);
      const before = sha(join(out, 'report.html'));
      const again = ashare('report', '--journal', demo, '--out', out);
      expect(again.code, again.err).toBe(4);
      expect(again.err).toContain('the disk is full');
      expect(sha(join(out, 'report.html'))).toBe(before);
      expect(tree(m.dir)).toEqual(['rep/equity.csv', 'rep/metrics.json', 'rep/report.html', 'rep/trades.csv']);
    });

    it('a journal that cannot even be created on a full disk: exit 4 "the disk is full", no file at its name', () => {
      writeFileSync(join(full, 'filler'), Buffer.alloc(0));
      const fill = spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'filler')}`, 'bs=4k'], { encoding: 'utf8' }); // until ENOSPC
      expect(fill.status).not.toBe(0);
      const journal = join(full, 'new.sqlite');
      const r = ashare('demo', '--symbols', '5', '--days', '30', '--journal', journal);
      expect(r.code, r.err).toBe(4);
      expect(r.err).toContain('the disk is full');
      oneSentence(r.err);
      expect(tree(full)).toEqual(['filler']);
      rmSync(join(full, 'filler'));
    });
  });

  describe.skipIf(!canMount)('read-only media', () => {
    let ro: string;
    beforeAll(() => {
      const m = mountTmpfs('ro', '4m');
      if (!('dir' in m)) throw new Error(m.skip);
      mounts.push(m.dir);
      ro = m.dir;
      copyFileSync(demo, join(ro, 'demo.sqlite'));
      const r = spawnSync('mount', ['-o', 'remount,ro', ro], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    });

    it('report beside a journal on read-only media: exit 4 "read-only" (not ENOENT/mkdir, not exit 70)', () => {
      const r = ashare('report', '--journal', join(ro, 'demo.sqlite'));
      expect(r.code, r.err).toBe(4);
      expect(r.err).toContain('read-only');
      expect(r.err).not.toContain('ENOENT');
      oneSentence(r.err);
    });

    it('a backtest journal or report folder on read-only media: exit 4 "read-only"', () => {
      const j = ashare('demo', '--symbols', '5', '--days', '30', '--journal', join(ro, 'new.sqlite'));
      expect(j.code, j.err).toBe(4);
      expect(j.err).toContain('read-only');
      oneSentence(j.err);
      const rep = ashare('demo', '--symbols', '5', '--days', '30', '--journal', join(work, 'rw.sqlite'), '--report-dir', join(ro, 'rep'));
      expect(rep.code, rep.err).toBe(4);
      expect(rep.err).toContain('read-only');
      oneSentence(rep.err);
    });

    it('market generate onto read-only media: exit 4 "read-only", not an unhandled rejection; into a missing folder: exit 3', () => {
      const r = ashare('market', 'generate', '--symbols', '3', '--days', '10', '--seed', '1', '--out', join(ro, 'm.csv'));
      expect(r.code, r.err).toBe(4);
      expect(r.err).toContain('read-only');
      oneSentence(r.err);
      const missing = ashare('market', 'generate', '--symbols', '3', '--days', '10', '--seed', '1', '--out', join(work, 'no-such-folder', 'm.csv'));
      expect(missing.code, missing.err).toBe(3);
      expect(missing.err).toContain('does not exist');
      oneSentence(missing.err);
    });
  });

  it('a second writer: a backtest on a journal another live process holds is exit 4 "another process is writing this journal"', async () => {
    const journal = join(work, 'held.sqlite');
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100)); // let it exec, so /proc shows its start time
      writeFileSync(`${journal}.lock`, JSON.stringify({ pid: holder.pid, startedAt: '2024-03-01T09:00:00.000Z', procStart: processStartOf(holder.pid!), host: hostname() }) + '\n');
      const r = ashare('demo', '--symbols', '5', '--days', '30', '--journal', journal);
      expect(r.code, r.err).toBe(4);
      expect(r.err).toContain('another process is writing this journal');
      oneSentence(r.err);
      expect(existsSync(journal)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a reused journal: backtest --journal EXISTING is exit 4, says so, and leaves the journal untouched', () => {
    const before = sha(demo);
    const r = ashare('backtest', '--config', join(repo, 'config', 'backtest.yaml'), '--journal', demo);
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain(`${demo} already exists`);
    expect(r.err).toContain('a backtest writes a new journal');
    oneSentence(r.err);
    expect(sha(demo)).toBe(before);
    expect(ashare('journal', 'verify', demo).code).toBe(0);
  });
});

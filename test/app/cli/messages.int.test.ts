import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, unlinkSync, writeSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';

// Issue 15 item 10: messages that named the wrong problem, through the compiled CLI.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const bin = join(repo, 'bin', 'ashare.js');
const work = mkdtempSync(join(tmpdir(), 'ashare-msg-'));
const env = { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' };

function ashare(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI messages say what is wrong', () => {
  let journal: string;
  beforeAll(() => {
    journal = join(work, 'demo.sqlite');
    const r = ashare('demo', '--json', '--symbols', '20', '--days', '120', '--journal', journal);
    expect(r.code, r.err).toBe(0);
  });

  it('(a) a CSV given as a journal is "not an ashare journal", not "encrypted; pass --key-file"', () => {
    const csv = join(work, 'bars.csv');
    writeFileSync(csv, 'symbol,date,open,high,low,close,volume,amount\n600000.SH,2024-01-02,10,10,10,10,100,1000\n');
    for (const [args, code] of [[['journal', 'verify', csv], 1], [['journal', 'inspect', csv], 4]] as const) {
      const r = ashare(...args);
      expect(r.code).toBe(code);
      expect(r.err).toContain('not an ashare journal');
      expect(r.err).not.toContain('encrypted; pass --key-file');
    }
    // A binary file whose size is not a whole number of pages cannot be an encrypted journal either.
    const bin = join(work, 'odd.bin');
    writeFileSync(bin, Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37 + 128) % 256)));
    const r = ashare('journal', 'verify', bin);
    expect(r.err).toContain('not an ashare journal');
  });

  it('(b) an encrypted journal that will not open: verify tells damage (exit 1) from a wrong key (exit 4) by the head anchor', () => {
    const key = join(work, 'k.hex');
    writeFileSync(key, 'ab'.repeat(32) + '\n', { mode: 0o600 });
    const otherKey = join(work, 'other.hex');
    writeFileSync(otherKey, 'cd'.repeat(32) + '\n', { mode: 0o600 });
    const enc = join(work, 'enc.sqlite');
    expect(ashare('demo', '--json', '--symbols', '5', '--days', '30', '--journal', enc, '--key-file', key).code).toBe(0);
    expect(ashare('journal', 'verify', enc, '--key-file', key).code).toBe(0);
    const wrong = ashare('journal', 'verify', enc, '--key-file', otherKey);
    expect(wrong.code, wrong.err).toBe(4);
    expect(wrong.err).toContain('the key is wrong: it does not verify the head anchor');
    expect(wrong.err).not.toContain('damaged');
    const damaged = join(work, 'enc-damaged.sqlite');
    copyFileSync(enc, damaged);
    copyFileSync(`${enc}.anchor`, `${damaged}.anchor`);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, 200);
    closeSync(fd);
    const r = ashare('journal', 'verify', damaged, '--key-file', key);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain('FAILED: cannot open journal');
    expect(r.err).toContain('the file is damaged: the key is right (it verifies the head anchor');
    expect(r.err).not.toContain('the key is wrong');
    // Without the anchor there is no second witness: the merged sentence, exit 4 as before.
    unlinkSync(`${damaged}.anchor`);
    const merged = ashare('journal', 'verify', damaged, '--key-file', key);
    expect(merged.code).toBe(4);
    expect(merged.err).toContain('the key is wrong, or the file is damaged');
  });

  it('(d) a failure with no seq never prints "seq ?"', () => {
    const other = join(work, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE foo (x INTEGER)');
    db.close();
    const r = ashare('journal', 'verify', other);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('not an ashare journal');
    expect(r.err).not.toContain('seq ?');
  });

  it('(e) audit of a journal with a corrupt event says what verify says: exit 1 naming the seq', () => {
    const bad = join(work, 'bad.sqlite');
    copyFileSync(journal, bad);
    const db = new Database(bad);
    db.prepare("UPDATE events SET data = '{not json' WHERE seq = 5").run();
    db.close();
    const v = ashare('journal', 'verify', bad);
    expect(v.code).toBe(1);
    expect(v.err).toContain('seq 5');
    const a = ashare('audit', '--journal', bad);
    expect(a.code, a.err).toBe(1);
    expect(a.err).toContain('seq 5');
    expect(a.err).not.toMatch(/JSON at position|Unexpected token|Expected property name/);
  });

  it('(f) journal inspect | head ends quietly, no EPIPE stack trace', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" journal inspect "${journal}" --type BarsClosed --json | head -c 100 >/dev/null`], { cwd: work, encoding: 'utf8', env });
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).toBe('');
  });

  it('(g) simulate rejects a repeated order id instead of filling it twice', () => {
    const fx = join(repo, 'test', 'fixtures', 'simulate');
    const first = readFileSync(join(fx, 'orders.jsonl'), 'utf8').split('\n')[0]!;
    const orders = join(work, 'dup.jsonl');
    writeFileSync(orders, `${first}\n${first}\n`);
    const r = spawnSync(process.execPath, [bin, 'simulate', '--bars', join(fx, 'bars.csv'), '--orders', orders], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(a).toMatchObject({ status: 'filled', line: 1 });
    expect(b).toMatchObject({ status: 'rejected', reason: 'BAD_ORDER', line: 2, filledQty: 0 });
    expect(b.details).toContain('duplicate order id');
  });

  it('(h) --cash -5 names the flag and its range, not "argument is ambiguous"', () => {
    const r = ashare('simulate', '--bars', 'b.csv', '--orders', 'o.jsonl', '--cash', '-5');
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('ambiguous');
    expect(r.err).toContain('--cash takes a number from 0');
  });

  it('(j) --journal DIR/t.db puts the report in t.db.report', () => {
    const t = join(work, 't.db');
    const r = ashare('demo', '--json', '--symbols', '5', '--days', '30', '--journal', t);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).report).toContain(join(work, 't.db.report'));
    expect(existsSync(join(work, 't.db.report', 'report.html'))).toBe(true);
  });
});

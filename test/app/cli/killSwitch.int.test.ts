import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// `ashare paper --kill-switch FILE` end to end through the compiled CLI (`npm test` builds dist/ first):
// a kill switch that is not there must never let the run trade.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const bin = join(repo, 'bin', 'ashare.js');
const work = mkdtempSync(join(tmpdir(), 'ashare-killswitch-cli-'));
const SLOW = { timeout: 120_000 };

function ashare(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const selected = (journal: string, type: string): { data: Record<string, unknown> }[] =>
  JSON.parse(ashare('journal', 'inspect', journal, '--json', '--type', type).out).selected;

describe('ashare paper --kill-switch', () => {
  const bars = join(work, 'm.csv');
  const cfg = join(work, 'paper-csv.yaml');
  const paper = (journal: string, kill: string) => ashare('paper', '--config', cfg, '--allow-plaintext', '--journal', journal,
    '--clock', 'sim:2022-01-04T08:00:00+08:00:max', '--until', '2022-02-28T16:00:00+08:00', '--kill-switch', kill);
  beforeAll(() => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js'))).toBe(true);
    expect(ashare('market', 'generate', '--symbols', '12', '--days', '60', '--seed', '5', '--out', bars).code).toBe(0);
    writeFileSync(cfg, readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
      .replace(/market:\n(  .*\n)+/, `market:\n  source: csv\n  bars: ${bars}\n  instruments: ${join(work, 'm.instruments.csv')}\n`)
      .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`));
  }, 120_000);

  it('a kill switch path that does not exist is refused at start-up (exit 3): nothing is journaled, nothing traded', SLOW, () => {
    const kill = join(work, 'no-such-halt.yaml');
    const journal = join(work, 'missing-switch.sqlite');
    const r = paper(journal, kill);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(kill);
    expect(r.err).toContain('does not exist');
    expect(r.err).toContain('{}');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1); // one sentence, no stack
    expect(existsSync(journal)).toBe(false);
  });

  it('a folder given as the kill switch is refused at start-up too', SLOW, () => {
    const r = paper(join(work, 'folder.sqlite'), work);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain('not a file');
  });

  it('{} asks for nothing: the run trades, and no state change is journaled', SLOW, () => {
    const kill = join(work, 'none.yaml');
    writeFileSync(kill, '{}\n');
    const journal = join(work, 'no-request.sqlite');
    const r = paper(journal, kill);
    expect(r.code, r.err).toBe(0);
    expect(selected(journal, 'TradingStateChanged').filter((e) => e.data['by'] === 'kill-switch-file')).toEqual([]);
    expect(selected(journal, 'OrderApproved').length).toBeGreaterThan(0);
  });
});

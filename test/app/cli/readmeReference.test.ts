import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INDICATORS } from '../../../src/domain/indicators/index.js';
import { backtestCommand, demoCommand } from '../../../src/app/cli/commands/backtest.js';

// Issue 15 item 11: the README's command reference drifted from the code (indicator names and count,
// the instruments file `market generate` writes, `--columns` for a generic CSV import).
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = (heading: string): string => {
  const start = readme.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};

/** What `command --help` prints. */
async function helpOf(command: (argv: string[]) => Promise<number>): Promise<string> {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
  expect(await command(['--help'])).toBe(0);
  vi.restoreAllMocks();
  return out.join('');
}

afterEach(() => { vi.restoreAllMocks(); });

describe('README command reference', () => {
  it.each([['demo', demoCommand], ['backtest', backtestCommand]] as const)('%s: the README heading is the --help usage line, and both document --report-dir DIR', async (_, command) => {
    const help = await helpOf(command);
    const usage = /^Usage: (.*)$/m.exec(help)?.[1];
    expect(usage).toContain('[--report-dir DIR]');
    expect(readme).toContain(`### \`${usage}\``);
    expect(help).toMatch(/^ {2}--report-dir DIR {2,}where report\.html/m);
  });

  it('indicators: the count and every --name the registry knows, as typed', () => {
    const s = section('### `ashare indicators');
    expect(s).toContain(`${INDICATORS.length} technical indicators`);
    for (const i of INDICATORS) expect(s, i.name).toContain(`\`${i.name}\``);
  });

  it('market generate: names the instruments file it writes (bars.csv → bars.instruments.csv)', () => {
    const s = section('### `ashare market generate');
    expect(s).toContain('`bars.instruments.csv`');
    expect(s).not.toContain('FILE.instruments.csv');
  });

  it('data import: documents --columns for the generic csv source', () => {
    const s = section('### `ashare data import');
    expect(s).toMatch(/data import --source [^\n]*\[--columns /);
    for (const k of ['date=', 'volumeUnit', 'amountUnit']) expect(s).toContain(k);
  });
});

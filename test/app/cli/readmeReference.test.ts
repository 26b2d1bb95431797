import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDICATORS } from '../../../src/domain/indicators/index.js';

// Issue 15 item 11: the README's command reference drifted from the code (indicator names and count,
// the instruments file `market generate` writes, `--columns` for a generic CSV import).
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = (heading: string): string => {
  const start = readme.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};

describe('README command reference', () => {
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

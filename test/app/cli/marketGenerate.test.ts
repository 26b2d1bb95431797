import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { marketCommand } from '../../../src/app/cli/commands/market.js';

// `ashare market generate` writes bars, dividends and instruments: it says all three, as the README does.
afterEach(() => { vi.restoreAllMocks(); });

async function generate(...extra: string[]): Promise<{ dir: string; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ashare-market-gen-'));
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { lines.push(String(s)); return true; });
  expect(await marketCommand(['generate', '--symbols', '4', '--days', '12', '--seed', '3', '--out', join(dir, 'bars.csv'), ...extra])).toBe(0);
  vi.restoreAllMocks();
  return { dir, out: lines.join('') };
}

describe('market generate says every file it writes', () => {
  it('names the bars, the dividends and the instruments file, each of which exists', async () => {
    const { dir, out } = await generate();
    const files = ['bars.csv', 'bars.dividends.csv', 'bars.instruments.csv'].map((f) => join(dir, f));
    for (const f of files) expect(existsSync(f), f).toBe(true);
    const [bars, dividends, instruments] = files.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    expect(out).toMatch(new RegExp(`^wrote \\d+ bars \\(4 symbols × 12 days, .*\\) to ${bars}, \\d+ dividends to ${dividends} and the instruments \\(sector, issued shares\\) of 4 symbols to ${instruments}\\n$`));
    expect(readFileSync(files[2]!, 'utf8').split('\n')[0]).toBe('symbol,sector,total_shares');
  });

  it('--json names the same three files', async () => {
    const { dir, out } = await generate('--json');
    expect(JSON.parse(out)).toMatchObject({ bars: join(dir, 'bars.csv'), dividends: join(dir, 'bars.dividends.csv'), instruments: join(dir, 'bars.instruments.csv') });
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme.replace(/\s+/g, ' ')).toContain('(`--json`: `{bars, dividends, instruments, symbols, days, rows, firstDay, lastDay, dividendEvents}`)');
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMarketRulesDir, loadMarketRules, loadMarketRuleTables } from '../../../src/adapters/market/marketRulesFile.js';

const tables = (() => {
  const r = loadMarketRuleTables();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
})();

describe('config/market rule tables', () => {
  it('load from the package directory and from a relative path alike', () => {
    expect(defaultMarketRulesDir()).toMatch(/config[/\\]market$/);
    const rel = loadMarketRules('config/market');
    const abs = loadMarketRules();
    expect(rel._tag === 'Right' && abs._tag === 'Right' && rel.right.version === abs.right.version).toBe(true);
  });

  it('every row of every table names its source (a reference section or tag) and its effective date', () => {
    const rows: [string, { source: string; from?: string }][] = [
      ...tables.boards.map((r, i) => [`boards[${i}]`, r] as [string, typeof r]),
      ...tables.priceLimits.bands.map((r, i) => [`bands[${i}]`, r] as [string, typeof r]),
      ...tables.priceLimits.ipo.map((r, i) => [`ipo[${i}]`, r] as [string, typeof r]),
      ...(['ticks', 'lots', 'maxOrderSize', 'sessions'] as const).flatMap((t) => tables.trading[t].map((r, i) => [`${t}[${i}]`, r] as [string, { source: string; from: string }])),
      ...(['stampDuty', 'transferFee', 'handlingFee', 'regulatoryFee'] as const).flatMap((t) => tables.fees[t].map((r, i) => [`${t}[${i}]`, r] as [string, typeof r])),
      ['commission', tables.fees.commission],
    ];
    expect(rows.length).toBeGreaterThan(60);
    for (const [key, r] of rows) {
      expect(r.source, key).toMatch(/ashare-market-rules\.md §\d|\[U\]|S\d+/);
      if (key !== 'commission') expect(r.from, key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('values the reference doubts are marked in their row (configurable, not hidden in code)', () => {
    const text = (r: { source: string; note?: string | undefined }) => `${r.source} ${r.note ?? ''}`;
    const st10 = tables.priceLimits.bands.find((r) => r.status === 'st' && r.band === 1000 && r.boards.includes('SSE_MAIN'))!;
    expect(text(st10)).toMatch(/configurable/);
    const chinextCap = tables.trading.maxOrderSize.find((r) => r.boards.includes('CHINEXT') && r.orderType === 'limit')!;
    expect(text(chinextCap)).toMatch(/\[U\]/);
    const bseHalved = tables.fees.handlingFee.find((r) => r.boards.includes('BSE') && r.rate === 250_000)!;
    expect(text(bseHalved)).toMatch(/configurable: the reference gives the month/);
  });

  it('the result is frozen', () => {
    expect(Object.isFrozen(tables.priceLimits.bands[0])).toBe(true);
  });
});

describe('loadMarketRuleTables errors name the file and the key', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
  /** A copy of config/market with `edits` applied (file → [search, replace]); returns the error's issues. */
  const broken = (edits: Record<string, [string, string][]>, remove: string[] = []) => {
    const dir = mkdtempSync(join(tmpdir(), 'market-rules-'));
    dirs.push(dir);
    cpSync(defaultMarketRulesDir(), dir, { recursive: true });
    for (const [file, subs] of Object.entries(edits)) {
      let text = readFileSync(join(dir, file), 'utf8');
      for (const [a, b] of subs) {
        if (!text.includes(a)) throw new Error(`test edit not found in ${file}: ${a}`);
        text = text.replace(a, b);
      }
      writeFileSync(join(dir, file), text);
    }
    for (const f of remove) rmSync(join(dir, f));
    const r = loadMarketRuleTables(dir);
    if (r._tag === 'Right') throw new Error('expected the tables to be refused');
    return { ...r.left, dir };
  };

  it('a malformed band value: file and key path', () => {
    const e = broken({ 'price-limits.yaml': [['band: "20%"', 'band: "twenty"']] });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.issues).toEqual([`${join(e.dir, 'price-limits.yaml')}: bands[5].band: must be a band written like "10%", exact to 0.01% (got "twenty")`]);
    expect(e.message).toBe(`${e.issues[0]}.`);
  });

  it('every problem of every file at once: a rate, a missing source, a time, a holiday', () => {
    const e = broken({
      'fees.yaml': [['rate: "0.05%"', 'rate: 0.05'], ['    source: "ashare-market-rules.md §6.1 [V] S35: stamp duty 0.1%, both sides, from 2005-01-24 (MoF notice)"\n', '']],
      'trading.yaml': [['start: "09:15"', 'start: "9:15"']],
      'holidays.yaml': [['tradingDays: 255', 'tradingDays: 254']],
    });
    const at = (f: string, rest: string) => `${join(e.dir, f)}: ${rest}`;
    expect(e.issues).toEqual(expect.arrayContaining([
      at('fees.yaml', 'stampDuty[0].source: Invalid input: expected string, received undefined'),
      expect.stringMatching(/fees\.yaml: stampDuty\[4\]\.rate: /),
      at('trading.yaml', 'sessions[0].start: must be a time written HH:MM'),
      expect.stringMatching(/holidays\.yaml: years\[1\]\.tradingDays: says 254 but/),
    ]));
    expect(e.message).toMatch(/\(and \d+ more problems\)\.$/);
  });

  it('cross-row problems: overlapping dated rows, a prefix mapped twice', () => {
    const e = broken({
      'price-limits.yaml': [['to: 2026-07-03', 'to: 2026-07-06']],
      'boards.yaml': [['prefixes: ["920"]', 'prefixes: ["920", "43"]']],
    });
    expect(e.issues).toEqual(expect.arrayContaining([
      `${join(e.dir, 'price-limits.yaml')}: bands[2]: overlaps bands[1] for SSE_MAIN/st from 2026-07-06 (one row per SSE_MAIN/st per day)`,
      `${join(e.dir, 'boards.yaml')}: boards[5].prefixes[0]: 43 on BJ is already mapped by boards[4]`,
    ]));
  });

  it('a row with both IPO forms, and a `to` before its `from`', () => {
    const e = broken({ 'price-limits.yaml': [['    noLimitDays: 1\n', '    noLimitDays: 1\n    listingDayBand: { up: "10%", down: "10%" }\n'], ['to: 2020-08-21', 'to: 2009-01-01']] });
    expect(e.issues).toEqual(expect.arrayContaining([
      `${join(e.dir, 'price-limits.yaml')}: ipo[3].noLimitDays: give exactly one of noLimitDays and listingDayBand`,
      `${join(e.dir, 'price-limits.yaml')}: bands[3].to: 2009-01-01 is before from 2009-10-30`,
    ]));
  });

  it('a missing file is CONFIG_NOT_FOUND naming it; not YAML names the file', () => {
    const e = broken({ 'boards.yaml': [['boards:', 'boards: [']] }, ['fees.yaml']);
    expect(e.code).toBe('CONFIG_NOT_FOUND');
    expect(e.issues).toEqual(expect.arrayContaining([
      `${join(e.dir, 'fees.yaml')}: (root): the file does not exist`,
      expect.stringMatching(/boards\.yaml: \(root\): not valid YAML/),
    ]));
  });

  it('loadMarketRules passes the same error through', () => {
    const r = loadMarketRules(join(tmpdir(), 'no-such-market-rules-dir'));
    expect(r._tag === 'Left' && r.left.code).toBe('CONFIG_NOT_FOUND');
  });
});

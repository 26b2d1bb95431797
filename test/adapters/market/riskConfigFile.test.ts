import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRiskConfig } from '../../../src/adapters/market/riskConfigFile.js';
import { canonicalHash } from '../../../src/domain/index.js';

const PROG = 'config/market/programmatic.yaml';
const base = parse(readFileSync('config/risk.yaml', 'utf8')) as Record<string, unknown>;

/** Writes a risk file changed by `edit` and loads it against the real thresholds. */
function loadWith(edit: (c: Record<string, unknown>) => void, progText?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'risk-'));
  const c = structuredClone(base);
  edit(c);
  writeFileSync(join(dir, 'risk.yaml'), stringify(c));
  let programmaticPath = PROG;
  if (progText !== undefined) { programmaticPath = join(dir, 'programmatic.yaml'); writeFileSync(programmaticPath, progText); }
  return loadRiskConfig(join(dir, 'risk.yaml'), { programmaticPath });
}
const problemsOf = (r: ReturnType<typeof loadRiskConfig>): readonly string[] => (isLeft(r) ? r.left.problems : []);

describe('loadRiskConfig', () => {
  it('given the shipped config/risk.yaml, then it loads with the client defaults, frozen', () => {
    const r = loadRiskConfig('config/risk.yaml');
    expect(isRight(r)).toBe(true);
    if (!isRight(r)) return;
    expect(r.right).toMatchObject({ maxPositionPct: 0.05, maxPositions: 20, dailyLossLimitPct: 0.02, maxDrawdownPct: 0.1, allowShort: false, allowSt: false, disclosureThresholdPct: 0.05, restrictedSymbols: [] });
    expect(Object.isFrozen(r.right.orderRate)).toBe(true);
  });

  it('given a risk.yaml copied out of config/ alone, then the HFT thresholds come from the package (issue 15 item 11)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-copied-'));
    writeFileSync(join(dir, 'risk.yaml'), readFileSync('config/risk.yaml'));
    const r = loadRiskConfig(join(dir, 'risk.yaml'));
    expect(problemsOf(r)).toEqual([]);
    expect(isRight(r)).toBe(true);
  });

  it('given a market/programmatic.yaml beside the risk file, then that one is used, not the package\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-beside-'));
    writeFileSync(join(dir, 'risk.yaml'), readFileSync('config/risk.yaml'));
    mkdirSync(join(dir, 'market'));
    writeFileSync(join(dir, 'market', 'programmatic.yaml'), 'hft: nonsense\n');
    expect(problemsOf(loadRiskConfig(join(dir, 'risk.yaml'))).some((p) => p.startsWith(join(dir, 'market', 'programmatic.yaml')))).toBe(true);
  });

  it('given an unknown key, then one sentence names its path', () => {
    const p = problemsOf(loadWith((c) => { c['maxPositonPct'] = 0.05; (c['orderRate'] as Record<string, unknown>)['perMinute'] = 3; }));
    expect(p).toHaveLength(2);
    expect(p.some((s) => /risk\.yaml: maxPositonPct: unknown key/.test(s))).toBe(true);
    expect(p.some((s) => /risk\.yaml: orderRate\.perMinute: unknown key/.test(s))).toBe(true);
  });

  it('given a missing limit, then it is an error naming the key (no defaults)', () => {
    const p = problemsOf(loadWith((c) => { delete c['maxDrawdownPct']; delete (c['cancelRate'] as Record<string, unknown>)['perDay']; }));
    expect(p).toHaveLength(2);
    expect(p.some((s) => /maxDrawdownPct: missing; every limit must be set/.test(s))).toBe(true);
    expect(p.some((s) => /cancelRate\.perDay: missing/.test(s))).toBe(true);
  });

  it('given an empty file, then every limit is reported missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-'));
    writeFileSync(join(dir, 'risk.yaml'), '');
    const p = problemsOf(loadRiskConfig(join(dir, 'risk.yaml'), { programmaticPath: PROG }));
    expect(p.length).toBe(Object.keys(base).length);
    expect(p.every((s) => /: missing; /.test(s))).toBe(true);
  });

  it('given malformed values, then one sentence each names the key', () => {
    const p = problemsOf(loadWith((c) => {
      c['maxPositionPct'] = 'five percent';
      c['maxPositions'] = 2.5;
      c['allowShort'] = true;
      c['restrictedSymbols'] = ['600519'];
      c['dailyLossLimitPct'] = 2;
    }));
    expect(p).toHaveLength(5);
    expect(p.some((s) => s.includes(': maxPositionPct: '))).toBe(true);
    expect(p.some((s) => s.includes(': maxPositions: '))).toBe(true);
    expect(p.some((s) => /allowShort: must be false: a cash account cannot sell short/.test(s))).toBe(true);
    expect(p.some((s) => s.includes('restrictedSymbols[0]: '))).toBe(true);
    expect(p.some((s) => s.includes(': dailyLossLimitPct: '))).toBe(true);
  });

  it('given a ruleOrder with a rule missing or repeated, then ruleOrder is named', () => {
    const p = problemsOf(loadWith((c) => { c['ruleOrder'] = [...(c['ruleOrder'] as string[]).slice(1), 'orderRate']; }));
    expect(p).toHaveLength(2);
    expect(p.every((s) => s.includes(': ruleOrder'))).toBe(true);
    expect(p.join(' ')).toMatch(/orderRate appears more than once/);
    expect(p.join(' ')).toMatch(/missing killSwitch/);
  });

  it('given rates too close to the HFT thresholds, then each offending key is named', () => {
    const p = problemsOf(loadWith((c) => { c['orderRate'] = { perSecond: 100, perDay: 9000 }; c['cancelRate'] = { perSecond: 50, perDay: 1000 }; }));
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/orderRate\.perSecond: orderRate\.perSecond \+ cancelRate\.perSecond = 150 must be below 150 .*300.*2025-07-07/);
    expect(p[1]).toMatch(/orderRate\.perDay: .* = 10000 must be below 10000 .*20000/);
  });

  it('given rates just under half the thresholds, then it loads', () => {
    expect(isRight(loadWith((c) => { c['orderRate'] = { perSecond: 100, perDay: 8000 }; c['cancelRate'] = { perSecond: 49, perDay: 1999 }; }))).toBe(true);
  });

  it('given a stricter dated threshold row in force on the day, then that row applies', () => {
    const prog = stringify({ hft: [
      { from: '2025-07-07', perSecond: 300, perDay: 20000, source: 'a' },
      { from: '2030-01-01', perSecond: 20, perDay: 20000, source: 'b' },
    ] });
    const dir = mkdtempSync(join(tmpdir(), 'risk-'));
    writeFileSync(join(dir, 'p.yaml'), prog);
    expect(isRight(loadRiskConfig('config/risk.yaml', { programmaticPath: join(dir, 'p.yaml'), day: '2026-01-05' }))).toBe(true);
    const p = problemsOf(loadRiskConfig('config/risk.yaml', { programmaticPath: join(dir, 'p.yaml'), day: '2030-06-03' }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/orderRate\.perSecond: .*below 10 .*from 2030-01-01/);
  });

  it('given a malformed thresholds file, then its key is named', () => {
    const p = problemsOf(loadWith(() => undefined, stringify({ hft: [{ from: '2025-07-07', perSecond: 'many', perDay: 20000, source: 's' }] })));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/programmatic\.yaml: hft\[0\]\.perSecond: /);
  });

  it('given no file, then CONFIG_NOT_FOUND', () => {
    const r = loadRiskConfig('/nonexistent/risk.yaml');
    expect(isLeft(r) && r.left.code).toBe('CONFIG_NOT_FOUND');
  });
});

describe('loadRiskConfig: drawdownReactivation, the one optional key (issue 19)', () => {
  it('given a risk.yaml without it (every file written before it), then it loads, without the key, and its hash is the one journals recorded', () => {
    const r = loadRiskConfig('config/risk.yaml');
    if (!isRight(r)) throw new Error(r.left.problems.join('; '));
    expect('drawdownReactivation' in r.right).toBe(false);
    // The risk-config hash (its first 16 digits) every ruleVersion of a run on config/risk.yaml
    // carried before the key existed (app/engine/riskSteps.ts riskRules).
    expect(canonicalHash(r.right).slice(0, 16)).toBe('1a43fd4ea9a207b2');
  });

  it('given manual, afterDays, onRecovery or both, in block or flow style, then it loads them as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-policy-'));
    const text = readFileSync('config/risk.yaml', 'utf8');
    for (const [yaml, want] of [
      ['drawdownReactivation: manual', 'manual'],
      ['drawdownReactivation:\n  afterDays: 20', { afterDays: 20 }],
      ['drawdownReactivation: { onRecovery: 0.05 }', { onRecovery: 0.05 }],
      ['drawdownReactivation: { afterDays: 20, onRecovery: 0.05 }', { afterDays: 20, onRecovery: 0.05 }],
    ] as const) {
      writeFileSync(join(dir, 'risk.yaml'), `${text}\n${yaml}\n`);
      const r = loadRiskConfig(join(dir, 'risk.yaml'), { programmaticPath: PROG });
      expect(isRight(r) && r.right.drawdownReactivation, yaml).toEqual(want);
    }
  });

  it('given a malformed policy, then one sentence names drawdownReactivation and says what it takes', () => {
    const one = (v: unknown) => problemsOf(loadWith((c) => { c['drawdownReactivation'] = v; }));
    expect(one('auto')).toEqual([expect.stringMatching(/risk\.yaml: drawdownReactivation: expected manual, or an object with afterDays \(trading days\) and\/or onRecovery/)]);
    expect(one({})).toEqual([expect.stringMatching(/drawdownReactivation: name afterDays, onRecovery or both \(or write manual\)\.$/)]);
    expect(one({ afterDays: 20, cooldown: 5 })).toEqual([expect.stringMatching(/drawdownReactivation\.cooldown: unknown key/)]);
    expect(one({ afterDays: 0 })).toEqual([expect.stringMatching(/drawdownReactivation\.afterDays: /)]);
    expect(one({ onRecovery: 5 })).toEqual([expect.stringMatching(/drawdownReactivation\.onRecovery: /)]);
  });

  it('given onRecovery at or above maxDrawdownPct, then it is refused: the account would trade again past its own limit', () => {
    expect(problemsOf(loadWith((c) => { c['drawdownReactivation'] = { onRecovery: 0.1 }; })))
      .toEqual([expect.stringMatching(/drawdownReactivation\.onRecovery: must be below maxDrawdownPct \(0\.1\)/)]);
    expect(isRight(loadWith((c) => { c['drawdownReactivation'] = { onRecovery: 0.099 }; }))).toBe(true);
  });

  it('config/risk-demo.yaml (the demo\'s) is the client\'s risk.yaml with every limit unchanged, plus a policy', () => {
    const demo = parse(readFileSync('config/risk-demo.yaml', 'utf8')) as Record<string, unknown>;
    const { drawdownReactivation, ...limits } = demo;
    expect(limits).toEqual(base);
    expect(drawdownReactivation).toEqual({ afterDays: 20 });
    expect(isRight(loadRiskConfig('config/risk-demo.yaml'))).toBe(true);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRiskConfig } from '../../../src/adapters/market/riskConfigFile.js';

// `npm run demo` as a newcomer runs it (the compiled CLI, its default market: 60 symbols × 500 days):
// it reaches the client's 10% drawdown limit, and its re-activation policy lets it trade to the end
// of its period, which its report shows (issue 19).
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const bin = join(repo, 'bin', 'ashare.js');
const work = mkdtempSync(join(tmpdir(), 'ashare-demo-'));
const SLOW = { timeout: 120_000 };

function ashare(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Change { day: string; from: string; to: string; by: string; why: string }

describe('ashare demo: trades its whole period under the client\'s limits', () => {
  let demo: { journal: string; report: string; days: number; metrics: { trades: number } };
  let fills: { day: string; side: string }[];
  let days: string[];
  let changes: Change[];
  beforeAll(() => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js'))).toBe(true);
    const r = ashare('demo', '--json', '--journal', join(work, 'demo.sqlite'));
    expect(r.code, r.err).toBe(0);
    demo = JSON.parse(r.out);
    const dir = join(demo.report, '..');
    fills = readFileSync(join(dir, 'trades.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
      .filter((c) => c[0] === 'fill').map((c) => ({ day: c[1]!, side: c[4]! }));
    days = readFileSync(join(dir, 'equity.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
    changes = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).risk.stateChanges;
  }, 120_000);

  it('runs under risk.yaml\'s limits, every one of them, the 10% drawdown limit included, plus the afterDays policy', () => {
    const r = ashare('journal', 'inspect', demo.journal, '--json', '--type', 'RunStarted');
    const run = JSON.parse(r.out).selected[0].data as { config: { risk: Record<string, unknown> } };
    const client = loadRiskConfig(join(repo, 'config', 'risk.yaml'));
    if (!isRight(client)) throw new Error('config/risk.yaml does not load');
    const { drawdownReactivation, ...limits } = run.config.risk;
    expect(limits).toEqual(JSON.parse(JSON.stringify(client.right)));
    expect(limits['maxDrawdownPct']).toBe(0.1);
    expect(drawdownReactivation).toEqual({ afterDays: 20 });
  });

  it('reaches the limit, goes REDUCING, and is ACTIVE again 20 trading days later, each time (journaled by policy:afterDays)', () => {
    expect(changes[0]).toMatchObject({ day: '2022-05-20', from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown' });
    const reducing = changes.filter((c) => c.to === 'REDUCING');
    const back = changes.filter((c) => c.by === 'policy:afterDays');
    expect(back.length).toBeGreaterThan(0);
    for (const c of back) {
      const since = changes[changes.indexOf(c) - 1]!;
      expect(since).toMatchObject({ to: 'REDUCING', by: 'risk:maxDrawdown' });
      expect(days.indexOf(c.day) - days.indexOf(since.day)).toBe(20);
      expect(c.why).toContain(`since ${since.day} (afterDays 20)`);
    }
    expect(reducing.every((c) => c.by === 'risk:maxDrawdown')).toBe(true);
  });

  it('trades in its last quarter: fills and new buys in the last 125 of its 500 days', () => {
    expect(days).toHaveLength(500);
    const lastQuarter = days[days.length - Math.floor(days.length / 4)]!;
    const late = fills.filter((f) => f.day >= lastQuarter);
    expect(late.length).toBeGreaterThan(50);
    expect(late.filter((f) => f.side === 'buy').length).toBeGreaterThan(20);
    expect(fills.some((f) => f.day >= days[days.length - 40]!)).toBe(true);
  });

  it('its report shows the REDUCING spells as bands on the equity chart, on the first screen', () => {
    const html = readFileSync(demo.report, 'utf8');
    const m = /var specs=(\[[\s\S]*?\]);var ready=0;/.exec(html);
    const equity = (JSON.parse(m![1]!) as { id: string; option: { series: { name: string; markArea?: { data: [{ name: string; xAxis: string }, unknown][] } }[] } }[])
      .find((c) => c.id === 'chart-equity')!;
    const bands = equity.option.series.find((s) => s.name === 'Strategy')!.markArea!.data.map(([a]) => `${a.name} ${a.xAxis}`);
    const reducing = changes.filter((c) => c.to === 'REDUCING');
    expect(bands.filter((b) => b.startsWith('REDUCING'))).toEqual(reducing.map((c) => `REDUCING ${c.day}`));
    expect(html.indexOf('id="chart-equity"')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    expect(html).toContain('REDUCING (sells only)');
  });

  it('its audit re-decides every decision, the policy\'s re-activations included', SLOW, () => {
    const r = ashare('audit', '--journal', demo.journal, '--json');
    expect(r.code, r.err).toBe(0);
  });
});

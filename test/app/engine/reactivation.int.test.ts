import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { base, mr } from './clientConfig.js';
import { runBacktest } from '../../../src/app/backtest/index.js';
import { rulesFromConfig, validateConfig } from '../../../src/app/config/index.js';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import type { RecordedEvent } from '../../../src/app/engine/index.js';
import { replayJournal } from '../../../src/app/engine/index.js';
import type { DataOf } from '../../../src/domain/index.js';

// End to end: synthetic markets whose backtests cross the drawdown limit, one per re-activation
// policy. Every trading-state change is re-derived from the journal's own DayClosed equities with
// separate arithmetic (the peak, its reset at each re-activation, the days REDUCING), and the audit
// replay re-decides every one of them.

const work = mkdtempSync(join(tmpdir(), 'ashare-reactivation-'));

/** The golden SMA market: 40 symbols × 300 days, seed 11; the client's risk.yaml reaches its 10% limit on it. */
const GOLDEN = { source: 'synthetic', synthetic: { symbols: 40, days: 300, seed: 11, startDay: '2022-01-04' } };
/**
 * A market where a slow crossover (20/120) holds its positions through a 6% drawdown and they
 * recover while the account is REDUCING (stops off, so nothing forces them out).
 */
const RECOVERING = {
  market: { source: 'synthetic', synthetic: { symbols: 30, days: 300, seed: 1, startDay: '2022-01-04' } },
  strategy: { name: 'sma-crossover', params: { fast: 20, slow: 120 } },
};

interface Run { readonly events: RecordedEvent[]; readonly maxDrawdownPct: number; readonly policy: unknown }

async function backtest(name: string, extra: Record<string, unknown>, risk: Record<string, unknown>, stopsOff = false): Promise<Run> {
  const c = JSON.parse(JSON.stringify(base.right.config)) as Record<string, unknown> & { risk: Record<string, unknown> & { stops: object } };
  const raw = { ...c, market: GOLDEN, ...extra, risk: { ...c.risk, ...risk, ...(stopsOff ? { stops: { ...c.risk.stops, fixedPct: null } } : {}) } };
  const cfg = validateConfig(raw, name, base.right.baseDir);
  if (!isRight(cfg)) throw new Error(cfg.left.problems.join('; '));
  const r = await runBacktest({ loaded: cfg.right, marketRules: mr.right, codeVersion: 'test', stamp: name, journalPath: join(work, `${name}.sqlite`), reportDir: join(work, `${name}.report`) });
  const ev = await readJournalFile(r.journalPath, undefined);
  if (!isRight(ev)) throw new Error(ev.left.message);
  return { events: ev.right, maxDrawdownPct: cfg.right.config.risk.maxDrawdownPct, policy: cfg.right.config.risk.drawdownReactivation };
}

const changes = (r: Run): DataOf<'TradingStateChanged'>[] => r.events.flatMap((e) => (e.type === 'TradingStateChanged' ? [e.data] : []));

/**
 * The trading-state changes the rules call for, from the journal's DayClosed equities alone: the
 * drawdown rule (equity maxDrawdownPct below the peak, the peak including the day's close), and the
 * policy (afterDays: that many closes since the limit was reached; onRecovery: drawdown under it),
 * the peak reset to the re-activating close's equity.
 */
function expectedChanges(r: Run, initialFen: number): { day: string; to: string; by: string }[] {
  const p = (r.policy ?? 'manual') as 'manual' | { afterDays?: number; onRecovery?: number };
  const out: { day: string; to: string; by: string }[] = [];
  let peak = initialFen, state = 'ACTIVE', closesReducing = 0;
  for (const e of r.events) {
    if (e.type !== 'DayClosed') continue;
    const eq = e.data.equityFen;
    const top = Math.max(peak, eq);
    const dd = (top - eq) / top;
    peak = top;
    if (state === 'ACTIVE' && dd >= r.maxDrawdownPct) {
      out.push({ day: e.data.day, to: 'REDUCING', by: 'risk:maxDrawdown' });
      state = 'REDUCING';
      closesReducing = 0;
    } else if (state === 'REDUCING' && p !== 'manual') {
      closesReducing++;
      const by = p.onRecovery !== undefined && dd < p.onRecovery ? 'policy:onRecovery'
        : p.afterDays !== undefined && closesReducing >= p.afterDays ? 'policy:afterDays' : null;
      if (by) {
        out.push({ day: e.data.day, to: 'ACTIVE', by });
        state = 'ACTIVE';
        peak = eq;
      }
    }
  }
  return out;
}

const initialOf = (r: Run): number => {
  const first = r.events[0]!;
  if (first.type !== 'RunStarted') throw new Error('not a run');
  return first.data.initialCashFen;
};

/** Buys the gate approved on days after `day`. */
const buysApprovedAfter = (r: Run, day: string): number => {
  const buys = new Set(r.events.flatMap((e) => (e.type === 'OrderRequested' && e.data.side === 'buy' && e.data.day > day ? [e.data.orderId] : [])));
  return r.events.filter((e) => e.type === 'OrderApproved' && buys.has(e.data.orderId)).length;
};

async function auditDiffs(r: Run, policyOverride?: unknown): Promise<{ day: string; recorded: unknown; replayed: unknown }[]> {
  const replay = await replayJournal(r.events, (run) => {
    const c = validateConfig(run.config, 'replay', '.');
    if (!isRight(c)) throw new Error('bad recorded config');
    const rules = rulesFromConfig(c.right.config, mr.right);
    // The same rule version (so approvals compare equal), another policy: only its decisions can differ.
    return policyOverride === undefined ? rules : { ...rules, risk: { ...rules.risk!, config: { ...rules.risk!.config, drawdownReactivation: policyOverride as 'manual' } } };
  }, null);
  return replay.flatMap((d) => d.details.map((x) => ({ day: d.day, recorded: x.recorded, replayed: x.replayed })));
}

describe('re-activation after a drawdown halt, end to end', () => {
  const runs: Record<string, Run> = {};
  beforeAll(async () => {
    runs['manual'] = await backtest('manual', {}, {});
    runs['manual-written'] = await backtest('manual-written', {}, { drawdownReactivation: 'manual' });
    runs['afterDays'] = await backtest('afterDays', {}, { drawdownReactivation: { afterDays: 20 } });
    runs['onRecovery'] = await backtest('onRecovery', RECOVERING, { maxDrawdownPct: 0.06, drawdownReactivation: { onRecovery: 0.04 } }, true);
    runs['both'] = await backtest('both', RECOVERING, { maxDrawdownPct: 0.06, drawdownReactivation: { afterDays: 15, onRecovery: 0.04 } }, true);
  }, 300_000);

  it('manual (the key left out): the limit is crossed once, REDUCING to the end, no buy approved after it', () => {
    const r = runs['manual']!;
    expect(changes(r)).toEqual([{ day: '2022-07-12', from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: expect.stringMatching(/reached the 10\.00% limit$/) }]);
    expect(buysApprovedAfter(r, '2022-07-12')).toBe(0);
    expect(expectedChanges(r, initialOf(r))).toEqual([{ day: '2022-07-12', to: 'REDUCING', by: 'risk:maxDrawdown' }]);
    // Written out, manual decides the same (its config, and so its hash, differ: the key is there).
    const written = runs['manual-written']!;
    expect(changes(written)).toEqual(changes(r));
    const fills = (x: Run) => x.events.flatMap((e) => (e.type === 'OrderFilled' ? [{ ...e.data, fillId: null }] : [])); // fill ids name the run
    expect(fills(written)).toEqual(fills(r));
  });

  it('afterDays 20: ACTIVE again 20 trading days after each limit, trading again, every change where the arithmetic puts it', () => {
    const r = runs['afterDays']!;
    const got = changes(r);
    expect(got.map(({ day, to, by }) => ({ day, to, by }))).toEqual(expectedChanges(r, initialOf(r)));
    expect(got[0]).toMatchObject({ day: '2022-07-12', to: 'REDUCING' });
    const policy = got.filter((c) => c.by === 'policy:afterDays');
    expect(policy.length).toBeGreaterThan(0);
    for (const c of policy) expect(c.why).toMatch(/^20 trading days REDUCING since \d{4}-\d{2}-\d{2} \(afterDays 20\)/);
    expect(buysApprovedAfter(r, policy[0]!.day)).toBeGreaterThan(0);
  });

  it('onRecovery 4%: ACTIVE again at the first close under 4% below the peak, every change where the arithmetic puts it', () => {
    const r = runs['onRecovery']!;
    const got = changes(r);
    expect(got.map(({ day, to, by }) => ({ day, to, by }))).toEqual(expectedChanges(r, initialOf(r)));
    const policy = got.filter((c) => c.by === 'policy:onRecovery');
    expect(policy.length).toBeGreaterThan(0);
    for (const c of policy) expect(c.why).toMatch(/^drawdown \d\.\d\d% is under the 4\.00% of onRecovery/);
    expect(buysApprovedAfter(r, policy[0]!.day)).toBeGreaterThan(0);
  });

  it('both (afterDays 15, onRecovery 4%): whichever comes first — this run has one of each', () => {
    const r = runs['both']!;
    const got = changes(r);
    expect(got.map(({ day, to, by }) => ({ day, to, by }))).toEqual(expectedChanges(r, initialOf(r)));
    expect(new Set(got.filter((c) => c.to === 'ACTIVE').map((c) => c.by))).toEqual(new Set(['policy:afterDays', 'policy:onRecovery']));
  });

  it('the audit replay re-decides every re-activation: no difference on any day', async () => {
    for (const name of ['manual', 'manual-written', 'afterDays', 'onRecovery', 'both']) expect(await auditDiffs(runs[name]!), name).toEqual([]);
  });

  it('…and it re-derives them rather than copying them: replayed under manual, exactly the policy\'s changes differ', async () => {
    const r = runs['afterDays']!;
    const diffs = await auditDiffs(r, 'manual');
    const policy = changes(r).filter((c) => c.by.startsWith('policy:'));
    expect(diffs.map((d) => d.day)).toEqual(policy.map((c) => c.day));
    for (const d of diffs) {
      expect(d.recorded).toMatchObject({ type: 'TradingStateChanged', data: { by: 'policy:afterDays' } });
      expect(d.replayed).toBeNull();
    }
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../src/domain/synthetic/prng.js';
import { ashare, paperBrokerReceipts, repo, startAshare, type Exit } from './serviceHarness.js';

// The crash test of issue 11: a paper run on the simulated clock over 12 trading days, killed with a
// real SIGKILL at more than twenty instants and restarted each time with the same command. At the
// end the journal verifies, replays and audits clean, the paper broker (its own file) was handed each
// clientOrderId exactly once, and the projections equal those of the same run never interrupted.
const work = mkdtempSync(join(tmpdir(), 'ashare-crash-'));
const key = join(work, 'journal.key');
writeFileSync(key, '5a'.repeat(32) + '\n', { mode: 0o600 });
const CONFIG = join(repo, 'config', 'paper.yaml');
const runArgs = (journal: string) => [
  'run', '--config', CONFIG, '--key-file', key, '--journal', journal,
  '--clock', 'sim:2022-03-01T08:00:00+08:00:max', '--until', '2022-03-16T16:00:00+08:00',
];
const brokerFile = (journal: string) => journal.replace(/\.sqlite$/, '.paper-broker.sqlite');
const projectionHash = (journal: string) => {
  const r = ashare(work, ['report', '--journal', journal, '--key-file', key, '--out', `${journal}.report`, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out).projectionHash as string;
};

describe('ashare run survives SIGKILL at any instant', () => {
  it('kill -9 at 20+ instants (crash points and random times), restart each time: same projections, each order sent once, journal intact', async () => {
    const clean = join(work, 'clean.sqlite');
    const c = ashare(work, runArgs(clean));
    expect(c.code, c.err).toBe(0);
    const cleanOrders = paperBrokerReceipts(brokerFile(clean), key);
    expect(cleanOrders.length).toBeGreaterThan(10); // the run trades: the crash schedule has orders to lose

    const journal = join(work, 'crashed.sqlite');
    const seed = Number(process.env['ASHARE_CRASH_SEED'] ?? 20261207);
    const prng = createPrng(seed, 'crash-schedule');
    const rnd = () => prng.next();
    // Crash schedule: the point between OrderSubmitted and the broker call (several times), the other
    // named points, then crash points drawn at random, then kills at random wall-clock instants.
    const schedule: ({ env: string } | { afterMs: number })[] = [
      { env: 'before-submit:1' }, { env: 'after-submit:2' }, { env: 'after-poll:3' }, { env: 'before-commit:4' }, { env: 'before-submit:2' },
      { env: 'after-commit:7' }, { env: 'before-submit:1' },
      ...Array.from({ length: 12 }, () => ({ env: `any:${1 + Math.floor(rnd() * 40)}` })),
      ...Array.from({ length: 6 }, () => ({ afterMs: 150 + Math.floor(rnd() * 600) })),
    ];
    let kills = 0;
    const log: string[] = [];
    for (const s of schedule) {
      let exit: Exit;
      if ('env' in s) {
        exit = ashare(work, runArgs(journal), { ASHARE_CRASH_POINT: s.env });
      } else {
        const p = startAshare(work, runArgs(journal));
        const t = setTimeout(() => p.child.kill('SIGKILL'), s.afterMs);
        exit = await p.done;
        clearTimeout(t);
      }
      log.push(`${JSON.stringify(s)} → ${exit.signal ?? exit.code}`);
      if (exit.signal === 'SIGKILL') kills++;
      else expect(exit.code, `${exit.err}\n${log.join('\n')}`).toBe(0);
      if (exit.code === 0) break; // reached --until
    }
    // Finish the run (a restart also resumes after a run that already ended: nothing more to do).
    const last = ashare(work, runArgs(journal));
    expect(last.code, last.err).toBe(0);
    expect(kills, log.join('\n')).toBeGreaterThanOrEqual(20);

    expect(ashare(work, ['journal', 'verify', journal, '--key-file', key]).code).toBe(0);
    const receipts = paperBrokerReceipts(brokerFile(journal), key);
    expect(new Set(receipts).size, 'a clientOrderId reached the paper broker twice').toBe(receipts.length);
    expect([...receipts].sort()).toEqual([...cleanOrders].sort());
    expect(projectionHash(journal)).toBe(projectionHash(clean));
    const replay = ashare(work, ['replay', '--journal', journal, '--all', '--json', '--key-file', key]);
    expect(replay.code, replay.out).toBe(0);
    expect(JSON.parse(replay.out)).toMatchObject({ daysWithDiffs: 0 });
    const audit = ashare(work, ['audit', '--journal', journal, '--json', '--key-file', key]);
    expect(audit.code, audit.out).toBe(0);
    const inspect = JSON.parse(ashare(work, ['journal', 'inspect', journal, '--json', '--key-file', key]).out) as { types: Record<string, number> };
    // Most restarts journal their resume; a kill during start-up (before ServiceResumed is durable) leaves no trace but the next one's.
    expect(inspect.types['ServiceResumed']).toBeGreaterThan(10);
    expect(inspect.types['OrderResent'] ?? 0).toBeGreaterThanOrEqual(1); // the crash between journal and send was answered by a resend
  }, 300_000);
});

/**
 * Fault injection for the crash tests, off unless ASHARE_CRASH_POINT is set: `NAME:N` kills this
 * process with a real SIGKILL at the N-th time it passes the crash point NAME, `any:N` at the N-th
 * crash point of any name. The points sit where a crash matters: just before and after a journal
 * commit, between OrderSubmitted being durable and the broker hearing of the order, after the
 * broker took it, and after the broker's answers were read but before they were journaled.
 */
export type CrashPointName = 'before-commit' | 'after-commit' | 'before-submit' | 'after-submit' | 'after-poll';

const spec = (() => {
  const raw = process.env['ASHARE_CRASH_POINT'];
  const m = raw ? /^([a-z-]+):(\d+)$/.exec(raw) : null;
  return m ? { name: m[1]!, n: Number(m[2]) } : null;
})();
let passed = 0;

export function crashPoint(name: CrashPointName): void {
  if (spec === null || (spec.name !== 'any' && spec.name !== name)) return;
  if (++passed === spec.n) process.kill(process.pid, 'SIGKILL');
}

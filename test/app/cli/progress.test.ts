import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../src/app/cli/io.js';

// The backtest's progress line: on a terminal, after ~2 s, with days done/total, bars/s and an ETA;
// nothing at all on a pipe, with --json, or for a run that ends sooner.
const sink = (isTTY: boolean) => {
  const lines: string[] = [];
  return { isTTY, write: (s: string) => { lines.push(s); return true; }, lines };
};

describe('progress line', () => {
  it('shows days done/total, the rate and the ETA on a terminal once the run passes 2 s', () => {
    const out = sink(true);
    let t = 0;
    const bar = progressBar('backtest: days', { stream: out, now: () => t, unit: 'bars' });
    t = 1_000;
    bar.update(9, 100, '2024-01-12', 10_000); // 1 s in: too early
    expect(out.lines).toEqual([]);
    t = 2_500;
    bar.update(24, 100, '2024-02-05', 25_000);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\rbacktest: days \[#{5}\.{15}\] 25\/100 \( 25%\), 10,000 bars\/s, ETA 8 s 2024-02-05/);
    t = 2_600;
    bar.update(25, 100, '', 26_000); // within 200 ms of the last line: not redrawn
    expect(out.lines).toHaveLength(1);
    t = 5_000;
    bar.update(99, 100, '', 100_000); // the last day is always drawn
    expect(out.lines[1]).toMatch(/100\/100 \(100%\), 20,000 bars\/s, ETA 0 s/);
    bar.done();
    expect(out.lines[2]).toBe('\n');
  });

  it('is silent on a pipe, with --json, and for a short run', () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const out = sink(tty);
      let t = 0;
      const bar = progressBar('x', { stream: out, now: () => t, quiet });
      t = 10_000;
      bar.update(0, 2);
      bar.done();
      expect(out.lines).toEqual([]);
    }
    const out = sink(true);
    let t = 0;
    const bar = progressBar('x', { stream: out, now: () => t });
    t = 1_500;
    bar.update(1, 2);
    bar.done();
    expect(out.lines).toEqual([]);
  });
});

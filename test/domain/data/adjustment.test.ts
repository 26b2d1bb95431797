import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/domain/bars.js';
import { ADJUSTED_SKIPPED_KINDS, ADJUSTED_THRESHOLDS, detectAdjustment } from '../../../src/domain/data/adjustment.js';
import { validateBars } from '../../../src/domain/data/validator.js';
import { rules, series } from './validatorFixtures.js';

// Adjusted series are recognised from what adjustment leaves alone (volume and amount, as traded).
const S = '600000.SH', T = '000001.SZ';
/** Prices × `factor` on rows before `split` (qfq: earlier prices scaled down), or from `split` on (hfq: later scaled up); turnover as traded. */
function adjust(rows: readonly Bar[], factor: number, split: number, kind: 'qfq' | 'hfq'): Bar[] {
  return rows.map((b, i) => {
    if (kind === 'qfq' ? i >= split : i < split) return b;
    const k = (p: number) => Math.round(p * factor);
    return { ...b, open: k(b.open), high: k(b.high), low: k(b.low), close: k(b.close), preClose: b.preClose === null ? null : k(b.preClose) };
  });
}

describe('detectAdjustment', () => {
  const raw = [...series(S, '2024-01-02', 40), ...series(T, '2024-01-02', 40)];

  it('raw prices: no verdict', () => {
    expect(detectAdjustment(raw)).toBeNull();
  });

  it('qfq: earlier prices scaled down (turnover price above the high), latest rows traded', () => {
    const q = [...adjust(raw.slice(0, 40), 0.9, 25, 'qfq'), ...raw.slice(40)];
    expect(detectAdjustment(q)).toMatchObject({ adjustment: 'qfq', symbols: 1, symbolsSeen: 2, rows: 25, example: { symbol: S, day: '2024-01-02' } });
  });

  it('hfq: earliest prices traded, later prices scaled up (turnover price below the low)', () => {
    const h = adjust(raw.slice(0, 40), 1.25, 10, 'hfq');
    expect(detectAdjustment(h)).toMatchObject({ adjustment: 'hfq', symbols: 1, rows: 30 });
  });

  it('a wrong amount unit (every row off by the same factor) or a few bad rows is not an adjustment', () => {
    expect(detectAdjustment(raw.map((b) => ({ ...b, amountFen: b.amountFen * 1000 })))).toBeNull();
    expect(detectAdjustment(raw.map((b, i) => (i === 5 || i === 9 ? { ...b, amountFen: b.amountFen * 3 } : b)))).toBeNull();
  });

  it('the adjusted profile leaves out the band, tick and turnover-price checks but keeps the rest', () => {
    const q = adjust(series(S, '2024-01-02', 40), 0.9, 25, 'qfq').map((b, i) => (i === 30 ? { ...b, volume: -1 } : b));
    const asRaw = validateBars(q, { rules }).map((f) => f.kind);
    expect(asRaw.filter((k) => k === 'VOLUME_SANITY').length).toBeGreaterThanOrEqual(25);
    const adjusted = validateBars(q, { rules, thresholds: ADJUSTED_THRESHOLDS }).filter((f) => !ADJUSTED_SKIPPED_KINDS.has(f.kind));
    expect(adjusted.map((f) => [f.kind, f.line])).toEqual([['VOLUME_SANITY', 30]]); // negative volume is still an error
    expect([...ADJUSTED_SKIPPED_KINDS].sort()).toEqual(['BAND_VIOLATION', 'OFF_TICK']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  adxBatch, atrBatch, biasBatch, bollingerBatch, cciBatch, demaBatch, donchianBatch, emaBatch, kdjBatch, keltnerBatch,
  macdBatch, mfiBatch, momentumBatch, obvBatch, parabolicSarBatch, psyBatch, rocBatch, rollingStdBatch, rsiBatch, smaBatch,
  stochasticBatch, temaBatch, trixBatch, vrBatch, vwapBatch, williamsRBatch, wmaBatch, zscoreBatch, type Ohlcv,
} from '../../../src/domain/indicators/index.js';

// Every expected number below is worked out by hand in the comment next to it.
const bar = (high: number, low: number, close: number, volume = 0, amount?: number): Ohlcv =>
  ({ open: close, high, low, close, volume, ...(amount === undefined ? {} : { amount }) });
const flat = (tp: number, volume: number): Ohlcv => bar(tp, tp, tp, volume);
const close = (xs: (number | null)[], ys: (number | null)[]) => {
  expect(xs).toHaveLength(ys.length);
  xs.forEach((x, i) => (ys[i] === null ? expect(x, `#${i}`).toBeNull() : expect(x, `#${i}`).toBeCloseTo(ys[i]!, 9)));
};
// Five bars used by ATR, ADX, KDJ, stochastic, %R, Keltner (high, low, close).
const B = [bar(10, 8, 9), bar(11, 9, 10), bar(12, 10, 11), bar(15, 11, 14), bar(9, 8, 8.5)];

describe('moving averages', () => {
  it('sma(3) of 1..5 = 2, 3, 4', () => close(smaBatch([1, 2, 3, 4, 5], 3), [null, null, 2, 3, 4]));
  it('ema(3): α = 0.5 seeded with the first value: 1, 1.5, 2.25, 3.125; shown from the 3rd', () =>
    close(emaBatch([1, 2, 3, 4], 3), [null, null, 2.25, 3.125]));
  it('wma(3) of x = i+1 is (x₋₂ + 2x₋₁ + 3x)/6 = x − 2/3, through the periodic recompute', () =>
    close(wmaBatch([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3), [null, null, 3 - 2 / 3, 4 - 2 / 3, 5 - 2 / 3, 6 - 2 / 3, 7 - 2 / 3, 8 - 2 / 3, 9 - 2 / 3, 10 - 2 / 3]));
  it('dema(2) of 3, 6, 9: α = 2/3, E1 = 3, 5, 23/3; E2 = 3, 13/3, 59/9 → 2·23/3 − 59/9 = 79/9', () =>
    close(demaBatch([3, 6, 9], 2), [null, null, 79 / 9]));
  it('tema of a constant is the constant', () => close(temaBatch([5, 5, 5, 5, 5, 5, 5], 3), [null, null, null, null, null, null, 5]));
  it('trix(1): the EMAs are the input, so TRIX is the percent change: +10%, −10%', () =>
    close(trixBatch([10, 11, 9.9], 1), [null, 10, -10]));
});

describe('MACD', () => {
  // fast 1 (EMA = x), slow 3 (α 1/2): 1, 1.5, 2.75, 5.375, 10.6875; DIF 0, .5, 1.25, 2.625, 5.3125;
  // DEA (signal 3, α 1/2) 0, .25, .75, 1.6875, 3.5; warm at 3 + 3 − 1 = 5 values.
  it('hist = 2×(DIF − DEA) = 3.625 with the Chinese bar, 1.8125 without', () => {
    const cn = macdBatch([1, 2, 4, 8, 16], { fast: 1, slow: 3, signal: 3 });
    expect(cn.slice(0, 4)).toEqual([null, null, null, null]);
    expect(cn[4]).toEqual({ dif: 5.3125, dea: 3.5, hist: 3.625 });
    expect(macdBatch([1, 2, 4, 8, 16], { fast: 1, slow: 3, signal: 3, cnBar: false })[4]!.hist).toBe(1.8125);
  });
});

describe('RSI', () => {
  // changes +1, −1, +2. cn (α 1/3, seeded with the first change): up 1, 2/3, 10/9; |Δ| 1, 1, 4/3 → 83.33.
  // wilder: seeds mean(1, 0, 2) = 1 and mean(1, 1, 2) = 4/3 → 75.
  it('cn seeds with the first change, wilder with the mean of the first period', () => {
    close(rsiBatch([10, 11, 10, 12], 3, 'cn'), [null, null, null, 250 / 3]);
    close(rsiBatch([10, 11, 10, 12], 3, 'wilder'), [null, null, null, 75]);
  });
  it('reads 50 when nothing moved and 100 when it only rose', () => {
    close(rsiBatch([7, 7, 7], 2), [null, null, 50]);
    close(rsiBatch([1, 2, 3], 2, 'cn'), [null, null, 100]);
  });
});

describe('bands and dispersion', () => {
  it('bollinger(4, 2) of 1..4: mean 2.5, population σ = √1.25', () => {
    const b = bollingerBatch([1, 2, 3, 4], 4, 2)[3]!;
    expect(b.mid).toBe(2.5);
    expect(b.upper).toBeCloseTo(2.5 + 2 * Math.sqrt(1.25), 12);
    expect(b.lower).toBeCloseTo(2.5 - 2 * Math.sqrt(1.25), 12);
  });
  it('rollingStd(2) of 1, 3 is 1; zscore(2) is (3 − 2)/1 = 1; flat windows read 0', () => {
    close(rollingStdBatch([1, 3, 3], 2), [null, 1, 0]);
    close(zscoreBatch([1, 3, 3, 0.1, 0.1, 0.1], 2), [null, 1, 0, -1, 0, 0]);
  });
  // Shrunk fast-check counterexample: the sliding update left a residue of ~1e-11 in the squared
  // deviations once the outlier left, i.e. σ ≈ 5e-6 on a window of zeros.
  it('a flat window after an outlier leaves reads σ = 0 exactly, z = 0', () => {
    expect(rollingStdBatch([-999.9842383840099, 0, 0, 0, 0], 4)[4]).toBe(0);
    expect(zscoreBatch([-999.9842383840099, 0, 0, 0, 0], 4)[4]).toBe(0);
    expect(rollingStdBatch([1234.567, 0.1, 0.1, 0.1, 0.1, 0.1], 4)[5]).toBe(0);
  });
  it('donchian(2): HHV of highs, LLV of lows, their middle', () =>
    expect(donchianBatch(B.slice(0, 2), 2)).toEqual([null, { upper: 11, mid: 9.5, lower: 8 }]));
  // EMA(2) of closes 9, 10, 11: 9, 9.667, 10.556; ATR(2) at bar 3 = 2 (see ATR) → ± 1×2.
  it('keltner(2, 1) = EMA ± ATR', () => {
    const k = keltnerBatch(B.slice(0, 3), 2, 1)[2]!;
    expect(k.mid).toBeCloseTo(95 / 9, 12);
    expect(k.upper).toBeCloseTo(95 / 9 + 2, 12);
    expect(k.lower).toBeCloseTo(95 / 9 - 2, 12);
  });
});

describe('range and trend', () => {
  // TR from bar 2: 2, 2, max(4, 4, 0) = 4, max(1, |9−14| = 5, |8−14| = 6) = 6. ATR(2): mean(2,2) = 2,
  // then (2 + 4)/2 = 3, (3 + 6)/2 = 4.5.
  it('atr(2) = 2, 3, 4.5', () => close(atrBatch(B, 2), [null, null, 2, 3, 4.5]));
  // +DM 1, 1, 3, 0; −DM 0, 0, 0, 3 (bar 5: down 11−8 = 3 beats up −6). Wilder(2): TR 2, 3, 4.5;
  // +DM 1, 2, 1; −DM 0, 0, 1.5 → PDI 50, 66.67, 22.22; MDI 0, 0, 33.33; DX 100, 100, 20;
  // ADX = mean(100, 100) = 100, then (100 + 20)/2 = 60.
  it('adx(2)', () => {
    const a = adxBatch(B, 2);
    expect(a.slice(0, 3)).toEqual([null, null, null]);
    expect(a[3]!.adx).toBeCloseTo(100, 9);
    expect(a[4]!.pdi).toBeCloseTo(200 / 9, 9);
    expect(a[4]!.mdi).toBeCloseTo(100 / 3, 9);
    expect(a[4]!.adx).toBeCloseTo(60, 9);
  });
  // TP 1, 2, 3: mean 2, mean deviation 2/3 → (3 − 2)/(0.015·2/3) = 100. TP 2, 3, 6: mean 11/3, deviation
  // 14/9 → (7/3)/(0.015·14/9) = 100. TP 3, 6, 5: mean 14/3, deviation (5/3 + 4/3 + 1/3)/3 = 10/9 →
  // (1/3)/(0.015·10/9) = 20. TP 6, 5, 5: mean 16/3, deviation 4/9 → (−1/3)/(0.015·4/9) = −50. Flat → 0.
  it('cci(3) = 100, 100, 20, −50, 0', () => close(cciBatch([1, 2, 3, 6, 5, 5, 5].map((t) => flat(t, 0)), 3), [null, null, 100, 100, 20, -50, 0]));
  // Bars 1–3: HHV 12, LLV 8 → RSV 75; K = (2·50 + 75)/3 = 58.33, D = (2·50 + 58.33)/3 = 52.78, J = 3K − 2D = 69.44.
  // Bars 2–4: HHV 15, LLV 9 → RSV 100·5/6 = 83.33; K = (2·58.33 + 83.33)/3 = 66.67; D = (2·52.78 + 66.67)/3 = 57.41.
  it('kdj(3, 3, 3), Chinese recursion seeded at 50', () => {
    const k = kdjBatch(B, 3, 3, 3);
    expect(k[1]).toBeNull();
    expect(k[2]!.k).toBeCloseTo(175 / 3, 9);
    expect(k[2]!.d).toBeCloseTo(475 / 9, 9);
    expect(k[2]!.j).toBeCloseTo(175 - 950 / 9, 9);
    expect(k[3]!.k).toBeCloseTo(200 / 3, 9);
    expect(k[3]!.d).toBeCloseTo((950 / 9 + 200 / 3) / 3, 9);
  });
  // raw %K: 75, 83.33, bars 3–5 (HHV 15, LLV 8) 100·0.5/7 = 7.143; %K = SMA2: 79.17, 45.24; %D = SMA2 = 62.20.
  it('stochastic(3, 2, 2), Western SMA form', () => {
    const s = stochasticBatch(B, 3, 2, 2);
    expect(s.slice(0, 4)).toEqual([null, null, null, null]);
    expect(s[4]!.k).toBeCloseTo((250 / 3 + 50 / 7) / 2, 9);
    expect(s[4]!.d).toBeCloseTo(((75 + 250 / 3) / 2 + (250 / 3 + 50 / 7) / 2) / 2, 9);
  });
  it('williamsR(3): −100·(HHV − C)/(HHV − LLV) = −25, then −100·1/6', () => close(williamsRBatch(B, 3).slice(2, 4), [-25, -100 / 6]));
  // Parabolic SAR as TA-Lib's SAR computes it (see parabolicSar.ts). −DM = 9 − 10 < 0 → long: SAR = L1 = 9,
  // EP = H2 = 11. Bar 2: 9; next 9 + .02·(11 − 9) = 9.04 (the clamp uses bar 2 alone, not L1 = 9).
  // Bar 3: 9.04; new high 12 → EP 12, AF .04; next 9.04 + .04·2.96 = 9.1584. Bar 4: low 7 ≤ 9.1584 → short,
  // SAR = max(EP 12, H3 12, H4 8) = 12, EP 7, AF .02; next 12 − .02·5 = 11.9, lifted to H3 = 12. Bar 5: 12.
  it('parabolicSar(0.02, 0.2)', () =>
    close(parabolicSarBatch([bar(10, 9, 9.5), bar(11, 10, 10.5), bar(12, 11, 11.5), bar(8, 7, 7.5), bar(9, 6, 6.5)]), [null, 9, 9.04, 12, 12]));
  // Bar 2: −DM = 9 − 8.5 = .5 > +DM = 9.9 − 10 → short although the close rose: SAR = H1 = 10, EP = L2 = 8.5;
  //   next 10 + .02·(8.5 − 10) = 9.97.
  // Bar 3: 9.97; new low 8 → EP 8, AF .04; next 9.97 − .04·1.97 = 9.8912, lifted to H2 = 9.9.
  // Bar 4: high 10.5 ≥ 9.9 → long: SAR = min(EP 8, L3 8, L4 9) = 8, EP 10.5, AF .02; next 8.05, held at L3 = 8.
  // Bar 5: 8; new high 10.8 → EP 10.8, AF .04; next 8 + .04·2.8 = 8.112.
  // Bar 6: low 8.1 ≤ 8.112 → short: SAR = max(EP 10.8, H5 10.8, H6 11) = 11 (the outside day's own high);
  //   EP 8.1, AF .02; next 11 − .02·2.9 = 10.942, lifted to H6 = 11.
  // Bar 7: 11; new low 7.5 → AF .04; next 11 − .04·3.5 = 10.86, lifted to H6 = 11.
  // Bar 8: 11; new low 7 → AF .06; next 11 − .06·4 = 10.76 (above H7 10 and H8 9.5). Bar 9: 10.76.
  const SAR_BARS = [bar(10, 9, 9.2), bar(9.9, 8.5, 9.8), bar(9.6, 8, 8.2), bar(10.5, 9, 10.4), bar(10.8, 9.6, 10.7),
    bar(11, 8.1, 8.3), bar(10, 7.5, 7.6), bar(9.5, 7, 7.2), bar(9, 6.8, 7)];
  it('parabolicSar: first trend from directional movement, clamped reversals, AF steps', () =>
    close(parabolicSarBatch(SAR_BARS), [null, 10, 9.97, 8, 8, 11, 11, 11, 10.76]));
  // −DM = 1 > +DM = .2 → short with SAR = H1 = 10, but bar 2's high 10.2 reaches it → long at once:
  // SAR = min(EP 8, L2 8) = 8; next 8 + .02·2.2 = 8.044, held at L2 = 8. A tie (−DM = +DM = .5) is long:
  // SAR = L1 = 9, which bar 2's low 8.5 breaks → short at once, SAR = max(EP 10.5, H2) = 10.5 (short would give 8.5).
  it('parabolicSar: bar 2 can reverse the first trend; a tie in directional movement is long', () => {
    close(parabolicSarBatch([bar(10, 9, 9.5), bar(10.2, 8, 9), bar(10.5, 8.3, 10)]), [null, 8, 8]);
    close(parabolicSarBatch([bar(10, 9, 9.5), bar(10.5, 8.5, 9)]), [null, 10.5]);
  });
  it('parabolicSar: a step above max is lowered to max', () =>
    expect(parabolicSarBatch(SAR_BARS, 0.3, 0.2)).toEqual(parabolicSarBatch(SAR_BARS, 0.2, 0.2)));
});

describe('change and volume', () => {
  it('roc(2) = +20%, −18.18%; momentum(2) = 2, −2', () => {
    close(rocBatch([10, 11, 12, 9], 2), [null, null, 20, -200 / 11]);
    close(momentumBatch([10, 11, 12, 9], 2), [null, null, 2, -2]);
  });
  it('bias(3): 100·(3 − 2)/2 = 50, 100·(6 − 11/3)/(11/3) = 63.64', () => close(biasBatch([1, 2, 3, 6], 3), [null, null, 50, 700 / 11]));
  it('psy(3): up, down, up → 66.67; down, up, up → 66.67; up ×3 → 100', () => close(psyBatch([1, 2, 1, 3, 4, 5], 3), [null, null, null, 200 / 3, 200 / 3, 100]));
  it('obv: 0, +200, +300, −400, ±0', () =>
    close(obvBatch([9, 10, 11, 10, 10].map((c, i) => flat(c, 100 * (i + 1)))), [0, 200, 500, 100, 100]));
  // TP 10, 11, 10, 12 with volumes 1..4: flows +22, −30, +48 → 100·22/52, then 100·48/78.
  it('mfi(2)', () => close(mfiBatch([10, 11, 10, 12].map((t, i) => flat(t, i + 1)), 2), [null, null, 2200 / 52, 4800 / 78]));
  // Volumes 2 (up), 3 (unchanged), 4 (down): 100·(2·2 + 3)/(0 + 3) = 233.3; then 100·3/(2·4 + 3) = 27.27.
  it('mfi reads exactly 50 once every flow in the window is zero again (no residue of the big flows)', () =>
    expect(mfiBatch([10, 10.3, 10.1, 10.1, 10.1].map((t, i) => flat(t, i < 3 ? 123_457 : 0)), 2)[4]).toBe(50));
  it('vr(2)', () => close(vrBatch([10, 11, 11, 10].map((c, i) => flat(c, i + 1)), 2), [null, null, 700 / 3, 300 / 11]));
  it('vwap(2): Σamount/Σvolume when amount is given, typical price × volume otherwise', () => {
    close(vwapBatch([bar(11, 9, 10, 10, 100), bar(12, 10, 11, 30, 330)], 2), [null, 430 / 40]);
    close(vwapBatch([bar(12, 9, 9, 10), bar(12, 12, 12, 30)], 2), [null, (100 + 360) / 40]);
  });
});

import { describe, expect, it } from 'vitest';
import { DomainEvent } from '../../../src/domain/events/domainEvent.js';
import type { FundamentalValues } from '../../../src/domain/events/fundamentals.js';
import {
  emptyFundamentals, evolveFundamentals, fundamentalsOn, fundamentalsView, ratioOrNull, trailingDividendMicro, ttmOf,
  valuationRatios, type ValuationRatios,
} from '../../../src/domain/fundamentals/index.js';

const SYM = '600519.SH';
const reported = (period: string, announcedDay: string, values: FundamentalValues): DomainEvent =>
  DomainEvent.parse({ type: 'FundamentalsReported', data: { symbol: SYM, period, announcedDay, values } });
const given = (...events: DomainEvent[]) => events.reduce(evolveFundamentals, emptyFundamentals);
const M = 1_000_000; // million CNY in fen is M × 100; per-share CNY in micro is × M
const mCny = (m: number): number => m * M * 100;

/**
 * A hand-made company, 1,000,000,000 shares, figures cumulative year-to-date (A-share convention):
 *   period       announced    revenue  net profit  equity  EPS   BVPS  dividend/share
 *   2022-12-31   2023-03-30    3,500      800        -      -     -     0.50
 *   2023-09-30   2023-10-28    3,000      700        -     0.70   -     0.10 (exactly a year before Q3 2024: outside the window)
 *   2023-12-31   2024-03-28    4,000    1,000        -     1.00   -     0.60
 *   2024-06-30   2024-08-28    2,400      600        -      -     -     0.20
 *   2024-09-30   2024-10-30    3,600      900     6,000   0.90  6.00    -
 * (money in million CNY). On 2024-10-31 at 24.000 CNY:
 *   TTM net profit = 900 + 1,000 − 700 = 1,200;  TTM revenue = 3,600 + 4,000 − 3,000 = 4,600
 *   market cap = 24 × 10⁹ CNY = 24,000 → PE 20, PB 4, PS 24,000/4,600 = 5.217…, ROE 1,200/6,000 = 0.2
 *   trailing dividends (2023-09-30, 2024-09-30] = 0.60 + 0.20 = 0.80 → yield 0.80/24 = 0.0333…
 */
const history = [
  reported('2022-12-31', '2023-03-30', { revenueFen: mCny(3500), netProfitFen: mCny(800), dividendPerShareMicro: 500_000 }),
  reported('2023-09-30', '2023-10-28', { revenueFen: mCny(3000), netProfitFen: mCny(700), epsMicro: 700_000, dividendPerShareMicro: 100_000 }),
  reported('2023-12-31', '2024-03-28', { revenueFen: mCny(4000), netProfitFen: mCny(1000), epsMicro: 1_000_000, dividendPerShareMicro: 600_000 }),
  reported('2024-06-30', '2024-08-28', { revenueFen: mCny(2400), netProfitFen: mCny(600), dividendPerShareMicro: 200_000 }),
  reported('2024-09-30', '2024-10-30', {
    revenueFen: mCny(3600), netProfitFen: mCny(900), equityFen: mCny(6000), epsMicro: 900_000, bvpsMicro: 6 * M, totalShares: 1_000_000_000,
  }),
];
const state = given(...history);
const on = (day: string) => fundamentalsOn(state, SYM, day);
const PRICE = 24_000; // 24.000 CNY in 0.001 CNY

describe('TTM from cumulative year-to-date reports', () => {
  it('given Q3 of this year, last year and Q3 of last year, then TTM = YTD + annual − prior YTD', () => {
    expect(ttmOf(on('2024-10-31'), 'netProfitFen')).toBe(mCny(1200));
    expect(ttmOf(on('2024-10-31'), 'revenueFen')).toBe(mCny(4600));
    expect(ttmOf(on('2024-10-31'), 'epsMicro')).toBe(1_200_000);
  });
  it('given an annual report as the latest, then TTM is the annual figure', () => {
    expect(ttmOf(on('2024-04-01'), 'netProfitFen')).toBe(mCny(1000));
  });
  it('given the prior-year same quarter is missing, then TTM is null (H1 2024 has no H1 2023)', () => {
    expect(ttmOf(on('2024-09-01'), 'netProfitFen')).toBeNull();
  });
  it('given no report carries the figure, then null', () => {
    expect(ttmOf(on('2023-04-01'), 'epsMicro')).toBeNull();
  });
  it('trailing dividends sum the periods in (latest − 1 year, latest]; unknown is null, not zero', () => {
    expect(trailingDividendMicro(on('2024-10-31'))).toBe(800_000);
    expect(trailingDividendMicro(on('2024-04-01'))).toBe(700_000); // 2023-12-31 0.60 + 2023-09-30 0.10
    expect(trailingDividendMicro([])).toBeNull();
    expect(trailingDividendMicro(fundamentalsOn(given(reported('2024-03-31', '2024-04-20', {})), SYM, '2024-05-01'))).toBeNull();
  });
});

describe('valuation ratios (hand-computed)', () => {
  it('given the full history, when priced at 24.000 CNY on 2024-10-31, then every ratio is as computed by hand', () => {
    const r = valuationRatios(on('2024-10-31'), PRICE);
    expect(r.marketCapFen).toBe(mCny(24_000));
    expect(r.pe).toBeCloseTo(20, 12);
    expect(r.pb).toBeCloseTo(4, 12);
    expect(r.ps).toBeCloseTo(24_000 / 4_600, 12);
    expect(r.roe).toBeCloseTo(0.2, 12);
    expect(r.dividendYield).toBeCloseTo(0.8 / 24, 12);
  });
  it('given per-share figures only, then PE, PB and ROE fall back to price / TTM EPS, price / BVPS, TTM EPS / BVPS', () => {
    const perShare = history.map((e) => {
      if (e.type !== 'FundamentalsReported') return e;
      const { epsMicro, bvpsMicro } = e.data.values;
      return reported(e.data.period, e.data.announcedDay, { epsMicro, bvpsMicro });
    });
    const r = valuationRatios(fundamentalsOn(given(...perShare), SYM, '2024-10-31'), PRICE);
    expect(r).toEqual({ pe: expect.closeTo(20, 12), pb: expect.closeTo(4, 12), ps: null, roe: expect.closeTo(0.2, 12), dividendYield: null, marketCapFen: null });
  });
  it('market cap rounds price × shares / 10 half-up to the fen, exactly beyond 2^53', () => {
    const big = valuationRatios(fundamentalsOn(given(reported('2024-09-30', '2024-10-30', { totalShares: 356_406_257_089 })), SYM, '2024-11-01'), 7_125);
    expect(big.marketCapFen).toBe(253_939_458_175_913); // 7.125 CNY × 356,406,257,089 = 2,539,394,581,759.125 CNY
    const half = valuationRatios(fundamentalsOn(given(reported('2024-09-30', '2024-10-30', { totalShares: 5 })), SYM, '2024-11-01'), 1_001);
    expect(half.marketCapFen).toBe(501); // 500.5 fen → 501
  });
});

describe('null, never NaN or Infinity', () => {
  const allNull: ValuationRatios = { pe: null, pb: null, ps: null, roe: null, dividendYield: null, marketCapFen: null };
  const finiteOrNull = (r: ValuationRatios) => Object.values(r).every((v) => v === null || Number.isFinite(v));

  it('given no visible report, then the view answers undefined, and the ratios of nothing are all null', () => {
    expect(fundamentalsView(state)(SYM, '2023-03-30', PRICE)).toBeUndefined();
    expect(valuationRatios([], PRICE)).toEqual(allNull);
  });
  it('given a price ≤ 0, then every price-based figure is null (ROE needs no price)', () => {
    expect(valuationRatios(on('2024-10-31'), 0)).toEqual({ ...allNull, roe: expect.closeTo(0.2, 12) });
    expect(valuationRatios(on('2024-10-31'), -1)).toEqual({ ...allNull, roe: expect.closeTo(0.2, 12) });
  });
  it('given a loss, then PE is null (denominator ≤ 0) while ROE is negative', () => {
    const s = given(reported('2023-12-31', '2024-03-28', { netProfitFen: -mCny(100), equityFen: mCny(1000), totalShares: 1000 }));
    const r = valuationRatios(fundamentalsOn(s, SYM, '2024-04-01'), PRICE);
    expect(r.pe).toBeNull();
    expect(r.roe).toBeCloseTo(-0.1, 12);
  });
  it('given zero or negative equity and zero revenue, then PB, ROE and PS are null', () => {
    const s = given(reported('2023-12-31', '2024-03-28', { netProfitFen: 0, revenueFen: 0, equityFen: 0, bvpsMicro: -1, totalShares: 1000 }));
    const r = valuationRatios(fundamentalsOn(s, SYM, '2024-04-01'), PRICE);
    expect(r).toEqual({ pe: null, pb: null, ps: null, roe: null, dividendYield: null, marketCapFen: 2_400_000 });
  });
  it('given missing TTM inputs (no prior-year report), then PE and PS are null', () => {
    const s = given(reported('2024-06-30', '2024-08-28', { netProfitFen: mCny(600), revenueFen: mCny(2400), equityFen: mCny(6000), totalShares: 1_000_000_000 }));
    const r = fundamentalsView(s)(SYM, '2024-09-01', PRICE)!;
    expect(r).toEqual({ pe: null, pb: expect.closeTo(4, 12), ps: null, roe: null, dividendYield: null, marketCapFen: mCny(24_000) });
  });
  it('each figure anchors on the latest report carrying it: on 2024-09-01 (H1 2024 lacks H1 2023) PE falls back to the FY2023 EPS', () => {
    const r = fundamentalsView(state)(SYM, '2024-09-01', PRICE)!;
    expect(r).toEqual({ pe: expect.closeTo(24, 12), pb: null, ps: null, roe: null, dividendYield: expect.closeTo(0.9 / 24, 12), marketCapFen: null });
    expect(finiteOrNull(r)).toBe(true);
  });
  it('ratioOrNull refuses missing inputs, d ≤ 0 and non-finite quotients', () => {
    expect(ratioOrNull(1, 0)).toBeNull();
    expect(ratioOrNull(1, -2)).toBeNull();
    expect(ratioOrNull(null, 2)).toBeNull();
    expect(ratioOrNull(1, Number.NaN)).toBeNull();
    expect(ratioOrNull(Number.MAX_VALUE, Number.MIN_VALUE)).toBeNull();
    expect(ratioOrNull(3, 4)).toBe(0.75);
  });
});

import { describe, expect, it } from 'vitest';
import { corporateActionAnswers, type CorporateAction, type DividendReceivable } from '../../../src/domain/corporate/index.js';
import { DomainEvent } from '../../../src/domain/events/domainEvent.js';
import type { SecuritySymbol } from '../../../src/domain/symbol.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const d = (s: string): TradingDay => s as TradingDay;
const BYD = '002594.SZ' as SecuritySymbol;
const CMB = '600036.SH' as SecuritySymbol;
const held = (m: Record<string, number>) => (symbol: string): number => m[symbol] ?? 0;

/** 10派2 (0.20 CNY per share) and 10送3 转5, record 07-28, ex 07-29, paid 08-01. */
const ACTION: CorporateAction = {
  symbol: BYD, recordDay: d('2025-07-28'), exDay: d('2025-07-29'), payDay: d('2025-08-01'),
  cashPerShareMicro: 200_000, bonusPerShareMicro: 300_000, conversionPerShareMicro: 500_000,
};
/** Cash only, paid on the ex-day itself. */
const SAME_DAY: CorporateAction = {
  symbol: CMB, recordDay: d('2025-07-28'), exDay: d('2025-07-29'), payDay: d('2025-07-29'),
  cashPerShareMicro: 1_013_000, bonusPerShareMicro: 0, conversionPerShareMicro: 0,
};

describe('corporateActionAnswers', () => {
  it('given a holding at the record-day close, when the ex-day comes, then cash is entitled and shares distributed — nothing paid', () => {
    const events = corporateActionAnswers([ACTION], d('2025-07-29'), held({ [BYD]: 1_234 }));
    expect(events).toEqual([
      { type: 'DividendEntitled', data: { day: '2025-07-29', symbol: BYD, qty: 1_234, cashPerShareMicro: 200_000, payDay: '2025-08-01', amountFen: 24_680 } },
      {
        type: 'SharesDistributed',
        data: { day: '2025-07-29', symbol: BYD, qtyBefore: 1_234, bonusPerShareMicro: 300_000, conversionPerShareMicro: 500_000, bonusQty: 370, conversionQty: 617 },
      },
    ]);
    for (const e of events) expect(DomainEvent.safeParse(e).success).toBe(true);
  });

  it('given no holding, when the ex-day comes, then nothing happens', () => {
    expect(corporateActionAnswers([ACTION], d('2025-07-29'), held({}))).toEqual([]);
  });

  it('given an action, when a day other than its ex-day or pay day comes, then nothing happens', () => {
    expect(corporateActionAnswers([ACTION], d('2025-07-28'), held({ [BYD]: 1_000 }))).toEqual([]);
    expect(corporateActionAnswers([ACTION], d('2025-07-30'), held({ [BYD]: 1_000 }))).toEqual([]);
  });

  it('given an earlier entitlement, when its pay day comes, then it is paid to the entitled quantity whatever is held now', () => {
    const receivables: DividendReceivable[] = [
      { symbol: BYD, exDay: '2025-07-29', payDay: '2025-08-01', qty: 1_234, cashPerShareMicro: 200_000, amountFen: 24_680 },
      { symbol: CMB, exDay: '2025-07-29', payDay: '2025-08-04', qty: 500, cashPerShareMicro: 1_013_000, amountFen: 50_650 },
    ];
    const events = corporateActionAnswers([ACTION], d('2025-08-01'), held({}), { receivables, dividendTaxRatePpb: 100_000_000 });
    // 10% of 246.80 CNY = 24.68 CNY withheld.
    expect(events).toEqual([
      { type: 'DividendPaid', data: { day: '2025-08-01', symbol: BYD, qty: 1_234, cashPerShareMicro: 200_000, amountFen: 24_680, taxFen: 2_468 } },
    ]);
  });

  it('given a pay day equal to the ex-day, when it comes, then entitlement and payment are both answered, in that order', () => {
    const events = corporateActionAnswers([SAME_DAY], d('2025-07-29'), held({ [CMB]: 300 }));
    expect(events.map((e) => e.type)).toEqual(['DividendEntitled', 'DividendPaid']);
    expect(events[1]!.data).toEqual({ day: '2025-07-29', symbol: CMB, qty: 300, cashPerShareMicro: 1_013_000, amountFen: 30_390, taxFen: 0 });
  });

  it('given several actions, then ex-day events come first (by symbol), then payments; tax rounds half-up to the fen', () => {
    // 20% of 303.90 CNY = 60.78 CNY; 20% of 0.25 CNY = 0.05 CNY.
    const receivables: DividendReceivable[] = [{ symbol: BYD, exDay: '2025-07-01', payDay: '2025-07-29', qty: 5, cashPerShareMicro: 50_000, amountFen: 25 }];
    const events = corporateActionAnswers([SAME_DAY, ACTION], d('2025-07-29'), held({ [BYD]: 100, [CMB]: 300 }), { receivables, dividendTaxRatePpb: 200_000_000 });
    expect(events.map((e) => `${e.type} ${e.data.symbol}`)).toEqual([
      'DividendEntitled 002594.SZ', 'SharesDistributed 002594.SZ', 'DividendEntitled 600036.SH', 'DividendPaid 002594.SZ', 'DividendPaid 600036.SH',
    ]);
    expect(events.filter((e) => e.type === 'DividendPaid').map((e) => e.type === 'DividendPaid' && e.data.taxFen)).toEqual([5, 6_078]);
  });

  it('given a holding so small that cash rounds to 0 fen and shares to 0, then there is nothing to answer', () => {
    const tiny: CorporateAction = { ...ACTION, cashPerShareMicro: 50, bonusPerShareMicro: 100_000, conversionPerShareMicro: 0 };
    expect(corporateActionAnswers([tiny], d('2025-07-29'), held({ [BYD]: 9 }))).toEqual([]);
  });

  it('given a rights issue only, then no event (subscribing is the holder\'s decision)', () => {
    const rights: CorporateAction = { ...ACTION, cashPerShareMicro: 0, bonusPerShareMicro: 0, conversionPerShareMicro: 0, rightsPerShareMicro: 300_000, rightsPriceMilli: 11_000 };
    expect(corporateActionAnswers([rights], d('2025-07-29'), held({ [BYD]: 1_000 }))).toEqual([]);
  });

  it('given a malformed action or tax rate, then it throws', () => {
    expect(() => corporateActionAnswers([{ ...ACTION, payDay: d('2025-07-28') }], d('2025-07-29'), held({ [BYD]: 1 }))).toThrow(RangeError);
    expect(() => corporateActionAnswers([], d('2025-07-29'), held({}), { dividendTaxRatePpb: -1 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, DomainEvent, DividendEntitled, SharesDistributed } from '../../../src/domain/events/domainEvent.js';

const entitled = { type: 'DividendEntitled', data: { day: '2025-07-29', symbol: '002594.SZ', qty: 1_234, cashPerShareMicro: 200_000, payDay: '2025-08-01', amountFen: 24_680 } };
const shares = {
  type: 'SharesDistributed',
  data: { day: '2025-07-29', symbol: '002594.SZ', qtyBefore: 1_234, bonusPerShareMicro: 300_000, conversionPerShareMicro: 500_000, bonusQty: 370, conversionQty: 617 },
};

describe('corporate-action event schemas', () => {
  it('are in the union at version 1', () => {
    expect(CURRENT_SCHEMA_VERSION.DividendEntitled).toBe(1);
    expect(CURRENT_SCHEMA_VERSION.SharesDistributed).toBe(1);
    expect(DomainEvent.parse(entitled)).toEqual(entitled);
    expect(DomainEvent.parse(shares)).toEqual(shares);
  });

  it('reject a pay day before the ex-day, fractional quantities, negative ratios and unknown fields', () => {
    expect(DividendEntitled.safeParse({ ...entitled, data: { ...entitled.data, payDay: '2025-07-28' } }).success).toBe(false);
    expect(SharesDistributed.safeParse({ ...shares, data: { ...shares.data, bonusQty: 370.2 } }).success).toBe(false);
    expect(SharesDistributed.safeParse({ ...shares, data: { ...shares.data, conversionPerShareMicro: -1 } }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...entitled, data: { ...entitled.data, taxFen: 0 } }).success).toBe(false);
  });

  it('DividendPaid keeps its v1 fields: a stored v1 payment still parses unchanged', () => {
    const v1 = JSON.parse('{"type":"DividendPaid","data":{"amountFen":30000,"cashPerShareMicro":500000,"day":"2024-03-04","qty":600,"symbol":"600000.SH","taxFen":3000}}') as unknown;
    expect(CURRENT_SCHEMA_VERSION.DividendPaid).toBe(1);
    expect(DomainEvent.parse(v1)).toEqual(v1);
  });
});

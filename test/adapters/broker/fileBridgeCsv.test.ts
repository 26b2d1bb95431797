import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  decimalUnits, formatExchangeTime, formatPriceCny, notionalFenOf, parseAnswerFields, parseBrokerTime, splitCsvRecord,
} from '../../../src/adapters/broker/fileBridgeCsv.js';
import { compareNatural, formatCursor, parseCursor } from '../../../src/adapters/broker/fileBridgeAnswers.js';

const T0 = Date.UTC(2024, 2, 1, 1, 30); // 2024-03-01 09:30 in Shanghai

describe('file bridge text', () => {
  it('writes prices in CNY exactly: two decimals, a third only when needed', () => {
    expect([10230, 10235, 10000, 5, 0, 1_234_567_890].map(formatPriceCny)).toEqual(['10.23', '10.235', '10.00', '0.005', '0.00', '1234567.89']);
  });

  it('writes exchange time with the fixed +08:00 offset, crossing midnight UTC correctly', () => {
    expect(formatExchangeTime(T0)).toBe('2024-03-01T09:30:00+08:00');
    expect(formatExchangeTime(Date.UTC(2024, 1, 29, 16, 5, 7, 999))).toBe('2024-03-01T00:05:07+08:00');
  });

  it('reads broker times with an offset, or local ones as Shanghai time, and refuses impossible dates', () => {
    expect(parseBrokerTime('2024-03-01T09:30:00+08:00')).toBe(T0);
    expect(parseBrokerTime('2024-03-01 09:30:00')).toBe(T0);
    expect(parseBrokerTime('2024-03-01T09:30:00')).toBe(T0);
    expect(parseBrokerTime('2024-03-01T01:30:00Z')).toBe(T0);
    expect(parseBrokerTime('2024-03-01T01:30:00.250Z')).toBe(T0 + 250);
    expect(parseBrokerTime('2024-02-29T21:30:00-04:00')).toBe(T0);
    for (const bad of ['2023-02-29 09:30:00', '2024-13-01 09:30:00', '2024-03-01 24:00:00', '2024-03-01', '09:30:00', '2024-03-01T09:30:00+25:00', 'x']) {
      expect(parseBrokerTime(bad), bad).toBeNull();
    }
  });

  it('parses decimals exactly where a float would not (10.005 × 1 share is 1000.5 fen, half up 1001)', () => {
    expect(notionalFenOf(1, '10.005')).toBe(1001);
    expect(notionalFenOf(1, '10.0049')).toBe(1000);
    expect(notionalFenOf(300, '10.235')).toBe(307_050);
    expect(notionalFenOf(3, '1.23456789')).toBe(370);
    expect(notionalFenOf(1, '-1')).toBeNull();
    expect(decimalUnits('12.3', 2, 'exact')).toBe(1230);
    expect(decimalUnits('12.345', 2, 'exact')).toBeNull();
    expect(decimalUnits('12.340', 2, 'exact')).toBe(1234);
    expect(decimalUnits('10.2345', 3, 'halfUp')).toBe(10_235);
    expect(decimalUnits('1e3', 2, 'exact')).toBeNull();
  });

  it('splits RFC-4180 records with quoted commas and doubled quotes, and refuses broken quoting', () => {
    expect(splitCsvRecord('a,"b,c","say ""hi""",')).toEqual({ _tag: 'Right', right: ['a', 'b,c', 'say "hi"', ''] });
    expect(splitCsvRecord('')).toEqual({ _tag: 'Right', right: [''] });
    expect(splitCsvRecord('""')).toEqual({ _tag: 'Right', right: [''] });
    expect(isLeft(splitCsvRecord('a,"b'))).toBe(true);
    expect(isLeft(splitCsvRecord('a,"b"c'))).toBe(true);
    expect(isLeft(splitCsvRecord('a,b"c'))).toBe(true);
  });

  it('an answer line with 0 shares may leave avg_price empty; a filled one may not', () => {
    const ok = parseAnswerFields(['A-1', '', 'accepted', '0', '', '', '', '']);
    expect(ok).toMatchObject({ right: { brokerOrderId: null, filledQty: 0, filledNotionalFen: 0, feeFen: 0, at: null } });
    const bad = parseAnswerFields(['A-1', 'B1', 'filled', '100', '', '5', '', '']);
    expect(isLeft(bad) && bad.left).toMatch(/avg_price/);
    expect(isRight(parseAnswerFields(['A-1', 'B1', 'cancelled', '0', '10.00', '', '', '']))).toBe(true);
  });

  it('keeps cursors canonical and refuses foreign ones', () => {
    const marks = new Map([['b.csv', { offset: 9, line: 2 }], ['a.csv', { offset: 40, line: 1, refused: true as const }]]);
    const text = formatCursor(marks);
    expect(text).toBe('{"files":{"a.csv":{"line":1,"offset":40,"refused":true},"b.csv":{"line":2,"offset":9}},"v":1}');
    const back = parseCursor(text);
    expect(isRight(back) && formatCursor(back.right)).toBe(text);
    for (const bad of ['{}', '{"files":{"a.csv":{"line":1,"offset":-1}},"v":1}', 'not json', '{"files":{"a.csv":3},"v":1}']) {
      expect(isLeft(parseCursor(bad)), bad).toBe(true);
    }
  });

  it('orders answer files by name with numbers compared as numbers', () => {
    expect(['answers-10.csv', 'answers-9.csv', 'a.csv', 'answers-1.csv'].sort(compareNatural)).toEqual(['a.csv', 'answers-1.csv', 'answers-9.csv', 'answers-10.csv']);
  });
});

import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { BrokerAccount, BrokerOrderStatus, BrokerPosition, OrderReport } from '../../domain/ports/broker.js';
import { BROKER_ORDER_STATUSES } from '../../domain/ports/broker.js';
import { formatExchangeTime as formatExchange, parseExchangeDateTime } from '../../domain/tradingDay.js';

/*
 * The text of the file-order bridge (文件单): CSV records, exact decimals and exchange times. Pure
 * functions only, so every rule of the format is testable without a directory.
 */

export const ORDER_HEADER = 'client_order_id,symbol,side,quantity,price_type,limit_price,created_at';
export const CANCEL_HEADER = 'client_order_id,created_at';
export const ANSWER_HEADER = 'client_order_id,broker_order_id,status,filled_quantity,avg_price,fee,message,updated_at';
export const POSITIONS_HEADER = 'symbol,quantity,sellable_quantity,avg_cost';
export const ACCOUNT_HEADER = 'cash,frozen_cash,total_asset';

/** The port's id rule: safe as a file name, so it can never climb out of `out/`. */
export const isClientOrderId = (s: string): boolean => /^[A-Za-z0-9-]{1,32}$/.test(s);
export const isSymbol = (s: string): boolean => /^\d{6}\.(SH|SZ|BJ)$/.test(s);

/**
 * One RFC-4180 record on one line: a field is either bare (no quote in it) or wholly quoted, with
 * `""` standing for a quote. Left is the reason the line is not such a record. Line breaks inside
 * quotes are not supported: the bridge reads line by line and terminals write one answer per line.
 */
export function splitCsvRecord(line: string): Either<string, string[]> {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let cur = '';
      for (i++; ; i++) {
        if (i >= line.length) return left('a quoted field is not closed');
        if (line[i] === '"') {
          if (line[i + 1] === '"') { cur += '"'; i++; } else break;
        } else cur += line[i];
      }
      i++;
      out.push(cur);
      if (i < line.length && line[i] !== ',') return left(`text follows a closing quote at column ${i + 1}`);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      const bare = line.slice(i, end);
      if (bare.includes('"')) return left(`a quote appears inside the unquoted field "${bare}"`);
      out.push(bare);
      i = end;
    }
    if (i >= line.length) return right(out);
    i++; // past the comma; a trailing comma makes one more empty field
    if (i === line.length) { out.push(''); return right(out); }
  }
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/** A plain non-negative decimal ("7", "10.235") as an exact integer mantissa and its scale; null otherwise. */
function decimalParts(text: string): { mantissa: bigint; scale: number } | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const frac = m[2] ?? '';
  return { mantissa: BigInt(m[1]! + frac), scale: frac.length };
}

/** `n / d` for non-negative bigints, half up (the exchanges' 四舍五入). */
const divHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);

function toSafe(v: bigint): number | null {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * A non-negative decimal in units of 10^-digits, never through binary floats: `exact` refuses more
 * fraction digits than `digits` (unless they are zeros), `halfUp` rounds them. Null when unreadable.
 */
export function decimalUnits(text: string, digits: 2 | 3, rounding: 'exact' | 'halfUp'): number | null {
  const p = decimalParts(text);
  if (!p) return null;
  if (p.scale <= digits) return toSafe(p.mantissa * 10n ** BigInt(digits - p.scale));
  const d = 10n ** BigInt(p.scale - digits);
  if (rounding === 'exact' && p.mantissa % d !== 0n) return null;
  return toSafe(divHalfUp(p.mantissa, d));
}

/** `qty` shares at a decimal CNY price, in fen, half up: exact for any number of price decimals. */
export function notionalFenOf(qty: number, priceText: string): number | null {
  const p = decimalParts(priceText);
  if (!p) return null;
  return toSafe(divHalfUp(BigInt(qty) * p.mantissa * 100n, 10n ** BigInt(p.scale)));
}

/** A count written in plain digits (no sign, no decimals); null otherwise. */
export function wholeNumber(text: string): number | null {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

/** 0.001-CNY integer as CNY text: two decimals, a third only when needed (10230 → "10.23", 10235 → "10.235"). */
export function formatPriceCny(milli: number): string {
  const whole = Math.floor(milli / 1000), frac = milli % 1000;
  return frac % 10 === 0 ? `${whole}.${String(frac / 10).padStart(2, '0')}` : `${whole}.${String(frac).padStart(3, '0')}`;
}

/** Fen as CNY text with two decimals. */
export function formatFenCny(fenAmount: number): string {
  const neg = fenAmount < 0, a = Math.abs(fenAmount);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Epoch ms as exchange time, `2024-03-01T09:30:00+08:00`; milliseconds are dropped so the text keeps one shape. */
export const formatExchangeTime = (ms: number): string => formatExchange(ms);

/** ISO 8601 with an offset, or a local `YYYY-MM-DD HH:MM:SS` (T or space) read as Asia/Shanghai; epoch ms or null. */
export const parseBrokerTime = (text: string): number | null =>
  (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(text) ? parseExchangeDateTime(text) : null);

const FILLED_STATUSES: ReadonlySet<BrokerOrderStatus> = new Set(['filled', 'partially_filled']);

/** One data line of an answer file as the cumulative report it states; left is the reason it is refused. */
export function parseAnswerFields(f: readonly string[]): Either<string, OrderReport> {
  if (f.length !== 8) return left(`expected 8 fields (${ANSWER_HEADER}) but found ${f.length}`);
  const [id, brokerId, statusText, qtyText, priceText, feeText, message, atText] = f as [string, string, string, string, string, string, string, string];
  if (!isClientOrderId(id)) return left(`client_order_id "${id}" is not 1-32 letters, digits or hyphens`);
  const status = BROKER_ORDER_STATUSES.find((s) => s === statusText);
  if (status === undefined) return left(`status "${statusText}" is not one of ${BROKER_ORDER_STATUSES.join(', ')}`);
  const filledQty = wholeNumber(qtyText);
  if (filledQty === null) return left(`filled_quantity "${qtyText}" is not a non-negative whole number`);
  if (filledQty === 0 && FILLED_STATUSES.has(status)) return left(`status ${status} has filled_quantity 0`);
  let filledNotionalFen = 0;
  if (priceText !== '' || filledQty > 0) {
    const n = notionalFenOf(filledQty, priceText);
    if (n === null) return left(`avg_price "${priceText}" is not a non-negative decimal`);
    filledNotionalFen = n;
  }
  const feeFen = feeText === '' ? 0 : decimalUnits(feeText, 2, 'exact');
  if (feeFen === null) return left(`fee "${feeText}" is not a non-negative CNY amount with at most 2 decimals`);
  const at = atText === '' ? null : parseBrokerTime(atText);
  if (at === null && atText !== '') return left(`updated_at "${atText}" is not an ISO 8601 time or YYYY-MM-DD HH:MM:SS`);
  return right({
    kind: 'order', clientOrderId: id, brokerOrderId: brokerId === '' ? null : brokerId, status, filledQty,
    filledNotionalFen, feeFen, message, at, lastFill: null, reason: null,
  });
}

/** One row of `positions.csv`; left names the field that is wrong. */
export function parsePositionFields(f: readonly string[]): Either<string, BrokerPosition> {
  if (f.length !== 4) return left(`expected 4 fields (${POSITIONS_HEADER}) but found ${f.length}`);
  const [symbol, qtyText, sellText, costText] = f as [string, string, string, string];
  if (!isSymbol(symbol)) return left(`symbol "${symbol}" is not six digits with .SH, .SZ or .BJ`);
  const quantity = wholeNumber(qtyText), sellableQuantity = wholeNumber(sellText);
  if (quantity === null) return left(`quantity "${qtyText}" is not a whole number`);
  if (sellableQuantity === null) return left(`sellable_quantity "${sellText}" is not a whole number`);
  if (sellableQuantity > quantity) return left(`sellable_quantity ${sellableQuantity} exceeds quantity ${quantity}`);
  const avgCostMilli = costText === '' ? null : decimalUnits(costText, 3, 'halfUp');
  if (avgCostMilli === null && costText !== '') return left(`avg_cost "${costText}" is not a non-negative decimal`);
  return right({ symbol, quantity, sellableQuantity, avgCostMilli });
}

/** The one data row of `account.csv`, CNY with at most 2 decimals each; left names the field that is wrong. */
export function parseAccountFields(f: readonly string[]): Either<string, BrokerAccount> {
  if (f.length !== 3) return left(`expected 3 fields (${ACCOUNT_HEADER}) but found ${f.length}`);
  const names = ACCOUNT_HEADER.split(',');
  const fen: number[] = [];
  for (const [i, text] of f.entries()) {
    const v = decimalUnits(text, 2, 'exact');
    if (v === null) return left(`${names[i]} "${text}" is not a non-negative CNY amount with at most 2 decimals`);
    fen.push(v);
  }
  return right({ cashFen: fen[0]!, frozenCashFen: fen[1]!, totalAssetFen: fen[2]! });
}

import { mulDivRound } from '../money.js';
import type { SecuritySymbol } from '../symbol.js';
import type { TradingDay } from '../tradingDay.js';

/** Millionths per share held: 10送3 (3 bonus shares per 10) is 300,000; 0.50 CNY of cash per share is 500,000. */
const MICRO = 1_000_000;

/**
 * One corporate action of one security (§7.1 of the market-rules reference). `recordDay` 股权登记日;
 * `exDay` 除权除息日 (for A-shares the trading day after the record day); `payDay` the day the cash
 * reaches the account (often the ex-day itself). Per-share amounts in millionths:
 * `cashPerShareMicro` pre-tax cash in 0.000001 CNY per share; `bonusPerShareMicro` 送股 and
 * `conversionPerShareMicro` 转增 in 0.000001 share per share; `rightsPerShareMicro` 配股 shares offered
 * per share at `rightsPriceMilli` (0.001 CNY). Rights only move the reference price: subscribing is
 * the holder's decision and no event here takes it.
 */
export interface CorporateAction {
  readonly symbol: SecuritySymbol;
  readonly recordDay: TradingDay;
  readonly exDay: TradingDay;
  readonly payDay: TradingDay;
  readonly cashPerShareMicro: number;
  readonly bonusPerShareMicro: number;
  readonly conversionPerShareMicro: number;
  readonly rightsPerShareMicro?: number;
  readonly rightsPriceMilli?: number;
}

/** A dividend entitled on its ex-day and not yet paid: the data of a `DividendEntitled` still open. */
export interface DividendReceivable {
  readonly symbol: string;
  readonly exDay: string;
  readonly payDay: string;
  readonly qty: number;
  readonly cashPerShareMicro: number;
  readonly amountFen: number;
}

const isNat = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Throws a RangeError naming the field when an action is not well formed (corrupt data stops at once). */
export function assertCorporateAction(a: CorporateAction): void {
  const where = `corporate action ${a.symbol} ex ${a.exDay}`;
  for (const k of ['cashPerShareMicro', 'bonusPerShareMicro', 'conversionPerShareMicro'] as const) {
    if (!isNat(a[k])) throw new RangeError(`${where}: ${k} must be a non-negative integer (got ${a[k]})`);
  }
  const rights = a.rightsPerShareMicro ?? 0;
  if (!isNat(rights)) throw new RangeError(`${where}: rightsPerShareMicro must be a non-negative integer (got ${rights})`);
  if (rights > 0 && !(isNat(a.rightsPriceMilli) && a.rightsPriceMilli > 0)) {
    throw new RangeError(`${where}: a rights issue needs a positive integer rightsPriceMilli`);
  }
  if (!(a.recordDay < a.exDay)) throw new RangeError(`${where}: the record day ${a.recordDay} must precede the ex-day`);
  if (a.payDay < a.exDay) throw new RangeError(`${where}: the pay day ${a.payDay} is before the ex-day`);
}

/** Pre-tax cash for `qty` shares, in fen, rounded down (registrars credit whole fen): ⌊qty × micro / 10,000⌋. */
export const dividendAmountFen = (qty: number, cashPerShareMicro: number): number =>
  mulDivRound(qty, cashPerShareMicro, 10_000, 'down');

/** New shares for `qty` held at a ratio in millionths, rounded down to whole shares (fractions are dropped). */
export const distributedShares = (qty: number, perShareMicro: number): number =>
  mulDivRound(qty, perShareMicro, MICRO, 'down');

export type ExRightsTerms = Pick<
  CorporateAction, 'cashPerShareMicro' | 'bonusPerShareMicro' | 'conversionPerShareMicro' | 'rightsPerShareMicro' | 'rightsPriceMilli'
>;

/**
 * The exchange's ex-rights/ex-dividend reference price (除权除息参考价, §7.2, source S54):
 *
 *     ref = (prev − cash + rightsPrice × rightsRatio) ÷ (1 + bonusRatio + conversionRatio + rightsRatio)
 *
 * rounded half-up (四舍五入) to `tickMilli` from the exact rational, in BigInt: with ratios in
 * millionths, `ref = (prev·10⁶ − cash·10³ + rightsPrice·rights) / (10⁶ + bonus + conversion + rights)`
 * in 0.001 CNY. Prices in 0.001 CNY (stock tick 10, fund tick 1). It becomes the ex-day's `preClose`
 * for price limits. Throws on malformed terms or when the reference is not a positive price.
 */
export function exRightsReferencePrice(prevCloseMilli: number, action: ExRightsTerms, tickMilli = 10): number {
  if (!(isNat(prevCloseMilli) && prevCloseMilli > 0)) throw new RangeError(`prevCloseMilli must be a positive integer (got ${prevCloseMilli})`);
  if (!(isNat(tickMilli) && tickMilli > 0)) throw new RangeError(`tickMilli must be a positive integer (got ${tickMilli})`);
  const rights = action.rightsPerShareMicro ?? 0;
  const price = rights > 0 ? action.rightsPriceMilli : 0;
  for (const [k, v] of [['cash', action.cashPerShareMicro], ['bonus', action.bonusPerShareMicro],
    ['conversion', action.conversionPerShareMicro], ['rights', rights], ['rightsPrice', price]] as const) {
    if (!isNat(v)) throw new RangeError(`exRightsReferencePrice: ${k} must be a non-negative integer (got ${v})`);
  }
  const num = BigInt(prevCloseMilli) * BigInt(MICRO) - BigInt(action.cashPerShareMicro) * 1000n + BigInt(price ?? 0) * BigInt(rights);
  const den = (BigInt(MICRO) + BigInt(action.bonusPerShareMicro) + BigInt(action.conversionPerShareMicro) + BigInt(rights)) * BigInt(tickMilli);
  // num and den are positive here, so half-up is ⌊(2·num + den) / (2·den)⌋.
  const ticks = num > 0n ? (2n * num + den) / (2n * den) : 0n;
  if (ticks <= 0n) throw new RangeError(`ex-rights reference of ${prevCloseMilli} is not a positive price (cash exceeds the close?)`);
  return Number(ticks) * tickMilli;
}

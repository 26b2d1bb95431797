import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import type { MarketDataProvider, ProviderError } from '../../domain/data/provider.js';

/** A switch from one provider to the other, for the caller to journal. */
export interface ProviderSwitch {
  readonly from: string;
  readonly to: string;
  /** The port method that failed over, e.g. `dailyBars`. */
  readonly method: string;
  /** The primary's error (after its own retries) that caused the switch. */
  readonly reason: ProviderError;
}

type Method = Exclude<keyof MarketDataProvider, 'name'>;
type AnyCall = (q: unknown) => Promise<Either<ProviderError, unknown>>;
const METHODS: readonly Method[] = ['dailyBars', 'tradeCalendar', 'adjFactors', 'instruments', 'suspensions', 'limits', 'dividends'];

/**
 * Tries `primary` first; only a retryable error (timeout, rate limit, outage — left after the primary's
 * own retries) moves the call to `backup`, reported through `onSwitch`. Non-retryable errors (auth,
 * permission, bad request, bad response) come back as they are: a wrong token must be seen, not hidden
 * behind another vendor's data. A method only the backup offers goes straight to the backup.
 * The client's default pairing is JQData primary, Tushare backup.
 */
export function createFailoverProvider(
  primary: MarketDataProvider,
  backup: MarketDataProvider,
  onSwitch: (e: ProviderSwitch) => void,
): MarketDataProvider {
  const route = (k: Method): AnyCall | undefined => {
    const p = primary[k] as AnyCall | undefined;
    const b = backup[k] as AnyCall | undefined;
    if (!p) return b ? (q) => b.call(backup, q) : undefined;
    return async (q) => {
      const r = await p.call(primary, q);
      if (!isLeft(r) || !r.left.retryable || !b) return r;
      onSwitch({ from: primary.name, to: backup.name, method: k, reason: r.left });
      return b.call(backup, q);
    };
  };
  const out: Record<string, unknown> = { name: `${primary.name}>${backup.name}` };
  for (const k of METHODS) {
    const f = route(k);
    if (f) out[k] = f;
  }
  return out as unknown as MarketDataProvider;
}

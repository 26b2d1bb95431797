import { z } from 'zod';
import type { ProviderErrorCode } from '../data/provider.js';
import { zDay, zSymbol } from './primitives.js';

/** What the bar validator checks (src/domain/data/validator.ts); one finding names one of these. */
export const zDataFindingKind = z.enum([
  'OHLC_INCONSISTENT', 'VOLUME_SANITY', 'DUPLICATE', 'OUT_OF_ORDER', 'NOT_TRADING_DAY', 'CALENDAR_GAP',
  'BAND_VIOLATION', 'OUTLIER', 'SOURCE_DISAGREEMENT',
  // Added later (issue 15). A wider enum reads every event written before, so no new version.
  'UNKNOWN_CODE', 'OFF_TICK', 'OUTSIDE_CALENDAR',
]);
export type DataFindingKind = z.infer<typeof zDataFindingKind>;

/** Facts behind a finding: flat, JSON-safe scalars (finite numbers), so the event hashes canonically. */
export const zDataDetails = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type DataDetails = z.infer<typeof zDataDetails>;

const zInt = z.number().int();

/**
 * A bar as a source delivered it, in canonical units (prices 0.001 CNY, volume shares, amount fen).
 * Deliberately looser than `BarsClosed`: a rejected row may carry the very values that got it
 * rejected (a negative price, a negative volume), and the journal must keep them as received.
 */
export const zBarRow = z.strictObject({
  symbol: zSymbol,
  day: zDay,
  open: zInt,
  high: zInt,
  low: zInt,
  close: zInt,
  volume: zInt,
  amountFen: zInt,
  preClose: zInt.nullable(),
  isSt: z.union([z.literal(0), z.literal(1)]),
});

/**
 * DataRejected v1 (one event per row): a source row that did not pass validation and was kept out
 * of the market data: dropped (`reject`) or set aside for review (`quarantine`). `kind` is the
 * finding that decided it; further findings of the row are listed in `details.otherKinds`. Still
 * the shape of one row's rejection inside the validator's policy step; journals hold v2.
 */
export const DataRejectedV1Data = z.strictObject({
  source: z.string().min(1),
  symbol: zSymbol,
  day: zDay,
  kind: zDataFindingKind,
  policy: z.enum(['reject', 'quarantine']),
  before: zBarRow,
  details: zDataDetails,
});

/**
 * DataRejected v2: the `rows` rows of one symbol from one source that the same finding `kind` kept
 * out with the same `policy`, from `day` to `lastDay` — one event per symbol and rule, so a source
 * that breaks a rule on every row (adjusted prices validated as raw) cannot flood the journal.
 * `before` and `details` are the first such row as received and its finding. v1 events are lifted
 * with `rows: 1, lastDay: day` (upcast.ts).
 */
export const DataRejected = z.object({
  type: z.literal('DataRejected'),
  data: z.strictObject({
    ...DataRejectedV1Data.shape,
    lastDay: zDay,
    rows: z.number().int().min(1),
  }),
});

/** A source row replaced by the same symbol-day from another source (`correctedFrom`), both journaled. */
export const DataCorrected = z.object({
  type: z.literal('DataCorrected'),
  data: z.strictObject({
    source: z.string().min(1),
    symbol: zSymbol,
    day: zDay,
    kind: zDataFindingKind,
    before: zBarRow,
    after: zBarRow,
    correctedFrom: z.string().min(1),
    details: zDataDetails,
  }),
});

const PROVIDER_ERROR_CODES = [
  'PROVIDER_TIMEOUT', 'PROVIDER_RATE_LIMITED', 'PROVIDER_AUTH', 'PROVIDER_PERMISSION', 'PROVIDER_BAD_RESPONSE',
  'PROVIDER_UNAVAILABLE', 'PROVIDER_NOT_FOUND', 'PROVIDER_BAD_REQUEST',
] as const satisfies readonly ProviderErrorCode[];
// Both directions: a code added to the port's union without being added here fails to compile.
type MissingCode = Exclude<ProviderErrorCode, (typeof PROVIDER_ERROR_CODES)[number]>;
const noMissingCode: [MissingCode] extends [never] ? true : MissingCode = true;
void noMissingCode;

/** Failover: calls of `method` went from provider `from` to `to` because `from` failed with `reason`. */
export const ProviderSwitched = z.object({
  type: z.literal('ProviderSwitched'),
  data: z.strictObject({
    from: z.string().min(1),
    to: z.string().min(1),
    method: z.string().min(1),
    reason: z.strictObject({ code: z.enum(PROVIDER_ERROR_CODES), message: z.string() }),
  }),
});

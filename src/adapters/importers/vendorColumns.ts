/** Volume as written by the vendor: shares, or lots of 100 shares (Tushare `vol`). */
export type VolumeUnit = 'shares' | 'lots';
/** Turnover as written by the vendor: CNY, or thousand CNY (Tushare `amount`). */
export type AmountUnit = 'cny' | 'thousand';

/**
 * Column map for the generic `csv` source: header names (matched case-insensitively) and units.
 * `symbol` may be left out when every row is one security (given by the `symbol` option or the file
 * name). A row whose `suspended.column` equals one of `suspended.values` is counted as suspended, not a bar.
 */
export interface ColumnMap {
  readonly symbol?: string;
  readonly date: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly amount: string;
  readonly preClose?: string;
  readonly isSt?: string;
  readonly suspended?: { readonly column: string; readonly values: readonly string[] };
  readonly volumeUnit: VolumeUnit;
  readonly amountUnit: AmountUnit;
}

/** A vendor's columns: each field lists the header names it may have (lower case), first match wins. */
export interface VendorColumns {
  readonly symbol: readonly string[];
  readonly date: readonly string[];
  readonly open: readonly string[];
  readonly high: readonly string[];
  readonly low: readonly string[];
  readonly close: readonly string[];
  readonly volume: readonly string[];
  readonly amount: readonly string[];
  readonly preClose: readonly string[];
  readonly isSt: readonly string[];
  readonly suspended?: { readonly column: readonly string[]; readonly values: readonly string[] };
  /** Rows with an empty or zero volume are suspended days (Wind `wsd` keeps them with the last close). */
  readonly zeroVolumeSuspended: boolean;
  readonly volumeUnit: VolumeUnit;
  readonly amountUnit: AmountUnit;
}

export type VendorCsvSource = 'tushare-csv' | 'baostock-csv' | 'jqdata-csv' | 'wind-csv';

const OHLC = { open: ['open'], high: ['high'], low: ['low'], close: ['close'] } as const;

/** Header names and units per vendor (ashare-market-rules.md §11.1, §11.2, §11.4, §11.5; baostock per the csi300 data set's PROVENANCE). */
export const VENDOR_COLUMNS: Readonly<Record<VendorCsvSource, VendorColumns>> = {
  // Tushare `daily` / `pro_bar`: vol in lots, amount in thousand CNY; no rows on suspended days; no ST flag.
  'tushare-csv': {
    symbol: ['ts_code'], date: ['trade_date'], ...OHLC, volume: ['vol'], amount: ['amount'], preClose: ['pre_close'],
    isSt: [], zeroVolumeSuspended: false, volumeUnit: 'lots', amountUnit: 'thousand',
  },
  // baostock `query_history_k_data_plus`: code `sh.600000`, volume shares, amount CNY, tradestatus 0 = suspended.
  'baostock-csv': {
    symbol: ['code'], date: ['date'], ...OHLC, volume: ['volume'], amount: ['amount'], preClose: ['preclose'],
    isSt: ['isst'], suspended: { column: ['tradestatus'], values: ['0'] }, zeroVolumeSuspended: false,
    volumeUnit: 'shares', amountUnit: 'cny',
  },
  // JQData `get_price`: codes `.XSHG/.XSHE`, volume shares, money CNY, paused 1 = suspended. A pandas
  // export writes the date index under an empty header name.
  'jqdata-csv': {
    symbol: ['code', 'order_book_id', 'security'], date: ['date', 'time', ''], ...OHLC, volume: ['volume'],
    amount: ['money'], preClose: ['pre_close'], isSt: [],
    suspended: { column: ['paused'], values: ['1', '1.0', 'true'] }, zeroVolumeSuspended: false,
    volumeUnit: 'shares', amountUnit: 'cny',
  },
  // Wind `wsd` export: code `600000.SH`, volume shares, amt CNY; trade_status 停牌 or no volume = suspended.
  'wind-csv': {
    symbol: ['windcode', 'wind_code', 'code'], date: ['date', 'trade_date', 'time', ''], ...OHLC, volume: ['volume'],
    amount: ['amt', 'amount'], preClose: ['pre_close'], isSt: [],
    suspended: { column: ['trade_status'], values: ['停牌', 'suspended'] }, zeroVolumeSuspended: true,
    volumeUnit: 'shares', amountUnit: 'cny',
  },
};

const one = (name: string | undefined): string[] => (name === undefined ? [] : [name.trim().toLowerCase()]);

/** The generic source's column map in the vendor form. */
export function columnsFromMap(m: ColumnMap): VendorColumns {
  return {
    symbol: one(m.symbol), date: one(m.date), open: one(m.open), high: one(m.high), low: one(m.low), close: one(m.close),
    volume: one(m.volume), amount: one(m.amount), preClose: one(m.preClose), isSt: one(m.isSt),
    ...(m.suspended ? { suspended: { column: one(m.suspended.column), values: m.suspended.values.map((v) => v.toLowerCase()) } } : {}),
    zeroVolumeSuspended: false, volumeUnit: m.volumeUnit, amountUnit: m.amountUnit,
  };
}

import { left, type Either } from 'fp-ts/lib/Either.js';
import { importError, type ImportError, type ImportResult } from './importResult.js';
import { importTdxDay, type TdxOptions } from './tdxDay.js';
import { columnsFromMap, VENDOR_COLUMNS, type ColumnMap } from './vendorColumns.js';
import { importVendorCsv, type VendorCsvOptions } from './vendorCsv.js';

export * from './importResult.js';
export { decodeTdxDay, importTdxDay, tdxKindOf, tdxSymbolOf, TDX_RECORD_BYTES, type TdxKind, type TdxOptions } from './tdxDay.js';
export { VENDOR_COLUMNS, columnsFromMap, type AmountUnit, type ColumnMap, type VendorColumns, type VendorCsvSource, type VolumeUnit } from './vendorColumns.js';
export { importVendorCsv, type VendorCsvOptions } from './vendorCsv.js';
export { symbolFromFileName, vendorDay, vendorSymbol } from './vendorCodes.js';

export type ImportSource = 'tushare-csv' | 'baostock-csv' | 'tdx' | 'jqdata-csv' | 'wind-csv' | 'csv';

/** Options of `importFiles`; `columns` is required for the generic `csv` source, `includeIndices` applies to `tdx`. */
export interface ImportFilesOptions extends VendorCsvOptions, TdxOptions {
  readonly columns?: ColumnMap;
}

/**
 * Imports daily bars from vendor files (a file, a `.gz` file, or a folder read recursively in path
 * order) in canonical units: prices 0.001 CNY, volume shares, amount fen, suffixed codes.
 */
export async function importFiles(source: ImportSource, path: string, options: ImportFilesOptions = {}): Promise<Either<ImportError, ImportResult>> {
  switch (source) {
    case 'tdx':
      return importTdxDay(path, options);
    case 'csv':
      if (options.columns === undefined) {
        return left(importError('IMPORT_OPTIONS_INVALID', path, 0, 'the generic csv source needs a `columns` map (date, open, high, low, close, volume, amount and units).'));
      }
      return importVendorCsv(path, columnsFromMap(options.columns), options);
    default:
      return importVendorCsv(path, VENDOR_COLUMNS[source], options);
  }
}

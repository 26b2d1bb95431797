/** Stable codes for the market store's expected failures (the CLI maps them to exit codes). */
export type StoreErrorCode =
  | 'STORE_NOT_FOUND'
  | 'STORE_KEY_INVALID'
  | 'STORE_KEY_REQUIRED'
  | 'STORE_CORRUPT'
  | 'STORE_SCHEMA'
  | 'STORE_BAD_ROW'
  | 'STORE_READONLY'
  | 'STORE_UNAVAILABLE'
  | 'STORE_IO';

/** An expected failure: a stable code and one sentence for the user. */
export interface StoreError {
  readonly code: StoreErrorCode;
  readonly message: string;
}

export const storeError = (code: StoreErrorCode, message: string): StoreError => ({ code, message });

/** The only way the system reads time. Backtests wire a replay clock; live and paper wire the system clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

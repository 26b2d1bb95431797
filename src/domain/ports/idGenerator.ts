import type { EventId } from '../ids.js';

/** The only way the system makes ids. Backtests wire a deterministic generator; live runs a random one. */
export interface IdGenerator {
  eventId(): EventId;
}

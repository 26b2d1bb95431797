import type { DayBars } from '../bars.js';

/** Market data, one trading day of bars at a time, days ascending: stored bars, a live feed or a journal. */
export type MarketFeed = Iterable<DayBars> | AsyncIterable<DayBars>;

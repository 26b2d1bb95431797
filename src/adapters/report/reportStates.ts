import type { DataOf } from '../../domain/index.js';

type TradingState = DataOf<'TradingStateChanged'>['to'];
type StateChange = Pick<DataOf<'TradingStateChanged'>, 'day' | 'from' | 'to'>;

/** A stretch of the run in one trading state, as days on the chart's axis (both ends on the axis). */
export interface StateBand {
  readonly state: TradingState;
  readonly from: string;
  readonly to: string;
}

/** Band fills: ACTIVE barely tinted, REDUCING amber, HALTED red (the page's own warning colours). */
export const STATE_COLOURS: Record<TradingState, string> = {
  ACTIVE: 'rgba(84,112,198,0.06)', REDUCING: 'rgba(232,163,61,0.28)', HALTED: 'rgba(192,57,43,0.28)',
};

/** Index of the first axis day on or after `day` (days.length when none). */
function firstOnOrAfter(days: readonly string[], day: string): number {
  let lo = 0, hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! < day) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * The trading-state timeline over the chart's days, from the journal's TradingStateChanged events in
 * order. A change is made at a day's close, so its band starts on that day and the previous one ends
 * there (neighbouring bands share the day). The state before the first change is that change's
 * `from`; several changes on one day leave the last one's state; a change after the last valued day
 * is not on the chart. No change: no bands (the run was ACTIVE throughout and the chart is drawn as
 * without them).
 */
export function tradingStateBands(days: readonly string[], changes: readonly StateChange[]): StateBand[] {
  if (changes.length === 0 || days.length === 0) return [];
  const out: StateBand[] = [];
  let state: TradingState = changes[0]!.from;
  let start = 0;
  for (const c of changes) {
    const at = firstOnOrAfter(days, c.day);
    if (at === days.length) break; // after the last valued day: not on the chart
    if (at > start) {
      out.push({ state, from: days[start]!, to: days[at]! });
      start = at;
    }
    state = c.to;
  }
  out.push({ state, from: days[start]!, to: days[days.length - 1]! });
  // A state that did not change across a boundary (e.g. a change to itself recorded twice) is one band.
  return out.reduce<StateBand[]>((acc, b) => {
    const last = acc[acc.length - 1];
    if (last && last.state === b.state) acc[acc.length - 1] = { ...last, to: b.to };
    else acc.push(b);
    return acc;
  }, []);
}

/**
 * The bands as an ECharts markArea on a category x axis (plain JSON: the page embeds it). Only the
 * REDUCING and HALTED bands are labelled: ACTIVE is the normal state, and a label on every band
 * would run into its neighbours' on a short spell.
 */
export function stateMarkArea(bands: readonly StateBand[]): Record<string, unknown> {
  return {
    silent: true,
    label: { position: 'insideTop', fontSize: 10, color: '#555' },
    data: bands.map((b) => [
      { name: b.state, xAxis: b.from, itemStyle: { color: STATE_COLOURS[b.state] }, ...(b.state === 'ACTIVE' ? { label: { show: false } } : {}) },
      { xAxis: b.to },
    ]),
  };
}

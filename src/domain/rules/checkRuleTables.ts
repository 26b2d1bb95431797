import { buildKeyedIndex, findOverlaps } from './datedIndex.js';
import { RULE_FILES, type MarketRuleTables, type SessionRow } from './ruleTables.js';

/** Band rows apply to normal and/or ST stocks; `any` to both. */
export const bandKeys = (r: { boards: readonly string[]; status: 'normal' | 'st' | 'any' }): string[] =>
  r.boards.flatMap((b) => (r.status === 'any' ? [`${b}/normal`, `${b}/st`] : [`${b}/${r.status}`]));

/** Session rows apply per exchange × board. */
export const sessionKeys = (r: SessionRow): string[] => r.exchanges.flatMap((e) => r.boards.map((b) => `${e}:${b}`));

/**
 * Cross-row checks the schemas cannot express, each problem as `file: key: what is wrong`:
 * at most one row per key on any day (bands, IPO rules, order caps, fee components), one tick and one
 * lot row per board (those lookups take no date), each exchange+prefix once, and no two trading
 * phases of one exchange × board overlapping in time on any day.
 */
export function checkMarketRuleTables(t: MarketRuleTables): string[] {
  const issues: string[] = [];
  const add = (file: string, found: string[]): void => { for (const i of found) issues.push(`${file}: ${i}`); };
  const perBoard = (r: { boards: readonly string[] }): readonly string[] => r.boards;

  const seenPrefix = new Map<string, number>();
  t.boards.forEach((r, i) => r.prefixes.forEach((p, j) => {
    const k = `${r.exchange}:${p}`;
    if (seenPrefix.has(k)) issues.push(`${RULE_FILES.boards}: boards[${i}].prefixes[${j}]: ${p} on ${r.exchange} is already mapped by boards[${seenPrefix.get(k)}]`);
    else seenPrefix.set(k, i);
  }));

  add(RULE_FILES.priceLimits, findOverlaps(t.priceLimits.bands, 'bands', bandKeys));
  add(RULE_FILES.priceLimits, findOverlaps(t.priceLimits.ipo, 'ipo', perBoard));

  for (const table of ['ticks', 'lots'] as const) {
    const seen = new Map<string, number>();
    t.trading[table].forEach((r, i) => r.boards.forEach((b) => {
      if (seen.has(b)) issues.push(`${RULE_FILES.trading}: ${table}[${i}]: ${b} already has ${table}[${seen.get(b)}] (one row per board: this lookup takes no date)`);
      else seen.set(b, i);
    }));
  }
  add(RULE_FILES.trading, findOverlaps(t.trading.maxOrderSize, 'maxOrderSize', (r) => r.boards.map((b) => `${b}/${r.orderType}`)));
  for (const [key, index] of buildKeyedIndex(t.trading.sessions, sessionKeys)) {
    for (const seg of index.segments) {
      const phases = [...seg.rows].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      for (let n = 1; n < phases.length; n++) {
        const a = phases[n - 1]!, b = phases[n]!;
        if (a.end > b.start) {
          issues.push(`${RULE_FILES.trading}: sessions[${t.trading.sessions.indexOf(b)}]: ${b.phase} ${b.start}–${b.end} overlaps sessions[${t.trading.sessions.indexOf(a)}] ${a.phase} ${a.start}–${a.end} for ${key} from ${seg.start}`);
        }
      }
    }
  }

  for (const component of ['stampDuty', 'transferFee', 'handlingFee', 'regulatoryFee'] as const) {
    add(RULE_FILES.fees, findOverlaps(t.fees[component], component, perBoard));
  }
  if (t.fees.commission.rate > t.fees.commission.maxRate) {
    issues.push(`${RULE_FILES.fees}: commission.rate: is above commission.maxRate`);
  }
  return issues;
}

import type { Bar } from '../bars.js';
import { round4, suspensionKey, type Finding, type ValidationThresholds } from './finding.js';

/**
 * SOURCE_DISAGREEMENT: for each primary row with a row of the same symbol-day in the second source,
 * open or close differing by more than max(`priceTolerance` × primary price, `priceToleranceMilli`),
 * or volumes whose ratio exceeds `volumeRatio` (one zero and the other not counts as a disagreement).
 * Symbol-days only one source has are not judged here (CALENDAR_GAP covers missing rows).
 */
export function checkAgainstSecondary(rows: readonly Bar[], usable: readonly boolean[], secondary: readonly Bar[], t: ValidationThresholds): Finding[] {
  const other = new Map<string, Bar>();
  for (const b of secondary) {
    const k = suspensionKey(b.symbol, b.day);
    if (!other.has(k)) other.set(k, b); // the first occurrence, as for the primary's duplicates
  }
  const out: Finding[] = [];
  rows.forEach((r, line) => {
    if (!usable[line]) return;
    const b = other.get(suspensionKey(r.symbol, r.day));
    if (!b) return;
    const fields: string[] = [];
    for (const f of ['open', 'close'] as const) {
      if (Math.abs(r[f] - b[f]) > Math.max(t.priceTolerance * r[f], t.priceToleranceMilli)) fields.push(f);
    }
    const lo = Math.min(r.volume, b.volume), hi = Math.max(r.volume, b.volume);
    const ratio = lo > 0 ? hi / lo : hi > 0 ? Number.POSITIVE_INFINITY : 1;
    if (ratio > t.volumeRatio) fields.push('volume');
    if (fields.length === 0) return;
    out.push({
      kind: 'SOURCE_DISAGREEMENT', severity: 'warn', symbol: r.symbol, day: r.day, line,
      details: {
        fields: fields.join(','), open: r.open, otherOpen: b.open, close: r.close, otherClose: b.close,
        volume: r.volume, otherVolume: b.volume, volumeRatio: Number.isFinite(ratio) ? round4(ratio) : null,
      },
    });
  });
  return out;
}

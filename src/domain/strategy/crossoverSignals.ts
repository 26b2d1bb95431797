import type { PortfolioView } from '../views/portfolioView.js';
import type { SignalDraft } from './strategy.js';

/** A crossing seen at the latest close: +1 golden cross, −1 death cross; `gap` = |fast/slow − 1|. */
export interface Crossing { readonly dir: 1 | -1; readonly gap: number }

/**
 * The signals of a moving-average crossover (shared by the SMA and EMA strategies): a golden cross
 * is a buy for a symbol not held, a death cross a sell for a symbol held; strength = gap × 20,
 * capped at 1, rounded to 4 decimals so journals stay short and exact. Symbols in ascending order.
 */
export function crossoverSignals(crossings: ReadonlyMap<string, Crossing>, portfolio: PortfolioView, label: (dir: 'above' | 'below') => string): SignalDraft[] {
  const out: SignalDraft[] = [];
  for (const sym of [...crossings.keys()].sort()) {
    const c = crossings.get(sym)!;
    const held = (portfolio.position(sym)?.qty ?? 0) > 0;
    const strength = Math.min(1, Math.round(c.gap * 20 * 10_000) / 10_000);
    if (c.dir > 0 && !held) out.push({ symbol: sym, side: 'buy', strength, reason: label('above') });
    if (c.dir < 0 && held) out.push({ symbol: sym, side: 'sell', strength, reason: label('below') });
  }
  return out;
}

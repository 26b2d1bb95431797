import { formatFen } from '../../domain/index.js';

/** The page's text formatters, shared by its sections (one place, so the same figure reads the same everywhere). */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
export const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);
export const num = (x: number | null, d = 2): string => (x === null ? '–' : x.toFixed(d));
/** Fen as CNY; `formatFen` wants an integer, so a fractional fen is rounded half away from zero by `Math.round` first. */
export const cny = (fen: number): string => `${formatFen(Math.round(fen))}`;
export const signed = (v: number, text: string): string => `<td class="${v > 0 ? 'up' : v < 0 ? 'down' : ''}">${esc(text)}</td>`;

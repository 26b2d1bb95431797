import { z } from 'zod';
import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import type { TradingDay } from '../tradingDay.js';
import { dayOfMs, exchangeTimeMs } from '../tradingDay.js';

/*
 * The air-gapped mode's policy: when the guard is armed (a window of exchange time on trading days)
 * and which endpoints stay reachable. Pure; the guard itself is adapters/net/egressGuard.
 */

import { parseEndpoint, type Endpoint } from './endpoint.js';

export { formatEndpoint, parseEndpoint, type Endpoint } from './endpoint.js';

const WINDOW_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export interface AirgapWindow {
  /** Minutes after exchange midnight, [start, end). */
  readonly startMin: number;
  readonly endMin: number;
  readonly text: string;
}

export function parseAirgapWindow(s: string): AirgapWindow | string {
  const m = WINDOW_RE.exec(s);
  if (!m) return `${JSON.stringify(s)} is not a window like "09:00-15:30"`;
  const startMin = Number(m[1]) * 60 + Number(m[2]);
  const endMin = Number(m[3]) * 60 + Number(m[4]);
  if (endMin <= startMin) return `${JSON.stringify(s)}: the window must end after it starts (on the same day)`;
  return { startMin, endMin, text: s };
}

export const AirgapConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Asia/Shanghai time on the exchange calendar's trading days, [start, end). */
  window: z.string().refine((s) => typeof parseAirgapWindow(s) !== 'string', { message: 'expected a window like "09:00-15:30" that ends after it starts' }).default('09:00-15:30'),
  /** The broker's endpoints (and any local service the process must reach), host:port each. */
  allow: z.array(z.string().refine((s) => typeof parseEndpoint(s) !== 'string', { message: 'expected host:port (IPv6 in brackets: [::1]:443)' })).default([]),
});
export type AirgapConfig = z.infer<typeof AirgapConfigSchema>;

/** Whether the guard is armed at `ms`: a trading day of the calendar, inside the window. */
export function airgapArmedAt(ms: number, window: AirgapWindow, calendar: TradingCalendar): boolean {
  const day = dayOfMs(ms) as TradingDay;
  let trading: boolean;
  try {
    trading = calendar.isTradingDay(day);
  } catch {
    trading = true; // beyond the calendar's table: armed rather than open (fail safe)
  }
  if (!trading) return false;
  const start = exchangeTimeMs(day, Math.floor(window.startMin / 60), window.startMin % 60);
  const end = exchangeTimeMs(day, Math.floor(window.endMin / 60), window.endMin % 60);
  return ms >= start && ms < end;
}

import { z } from 'zod';
import { isTradingDayString, parseSymbol } from '../../domain/index.js';

/** One order of the simulate oracle's JSONL input. */
export const SimOrderSchema = z.strictObject({
  id: z.string().min(1).max(128),
  day: z.string().refine(isTradingDayString, { message: 'expected a date YYYY-MM-DD' }),
  symbol: z.string().refine((s) => parseSymbol(s) !== undefined, { message: 'expected a suffixed code like 600519.SH' }),
  side: z.enum(['buy', 'sell']),
  qty: z.number().int().positive(),
  type: z.enum(['market', 'limit']),
  limitPrice: z.number().positive().optional(),
}).superRefine((o, ctx) => {
  if (o.type === 'limit' && o.limitPrice === undefined) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'a limit order needs limitPrice' });
  if (o.type === 'market' && o.limitPrice !== undefined) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'a market order takes no limitPrice' });
});
export type SimOrder = z.infer<typeof SimOrderSchema>;

export type ParsedLine =
  | { readonly ok: true; readonly line: number; readonly order: SimOrder }
  | { readonly ok: false; readonly line: number; readonly id: string | null; readonly message: string };

/** Parses JSONL order lines; blank lines are skipped, every other line yields exactly one result. */
export function parseOrderLines(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      out.push({ ok: false, line, id: null, message: `line ${line}: not valid JSON` });
      return;
    }
    const id = typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null;
    const r = SimOrderSchema.safeParse(v);
    if (!r.success) {
      const iss = r.error.issues[0]!;
      out.push({ ok: false, line, id, message: `line ${line}: ${iss.path.length ? iss.path.join('.') + ': ' : ''}${iss.message}` });
      return;
    }
    out.push({ ok: true, line, order: r.data });
  });
  return out;
}

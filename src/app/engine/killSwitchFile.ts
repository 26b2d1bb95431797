import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { StateRequest } from './riskSteps.js';

const RequestSchema = z.strictObject({
  to: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
  by: z.string().min(1).max(128).refine((s) => !s.startsWith('risk:'), { message: 'risk:* names are the engine\'s own rules' }),
  why: z.string().min(1).max(1000),
});

/**
 * The kill switch of a paper or live run: a small YAML/JSON file (`to: HALTED`, `by: <person>`,
 * `why: <reason>`) read before each trading day's decisions. No file: no request. A file that
 * cannot be read or is malformed HALTS trading (fail safe), with the problem as the reason; the
 * engine records every change as TradingStateChanged, naming who and why.
 */
export function killSwitchFile(path: string): (day: string) => StateRequest[] {
  return () => {
    if (!existsSync(path)) return [];
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return [{ to: 'HALTED', by: 'kill-switch-file', why: `${path} is unreadable (${(e as Error).message.split('\n')[0]}): halted to be safe` }];
    }
    const r = RequestSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      return [{ to: 'HALTED', by: 'kill-switch-file', why: `${path}: ${i.path.join('.') || '(root)'}: ${i.message}: halted to be safe` }];
    }
    return [r.data];
  };
}

import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { StateRequest } from './riskSteps.js';

const RequestSchema = z.strictObject({
  to: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
  by: z.string().min(1).max(128).refine((s) => !s.startsWith('risk:'), { message: 'risk:* names are the engine\'s own rules' })
    .refine((s) => !s.startsWith('policy:'), { message: 'policy:* names are the drawdown re-activation policy\'s' }),
  why: z.string().min(1).max(1000),
});
/** `{}`: the file asks for nothing today (the state stays as the engine and earlier requests left it). */
const NoRequestSchema = z.strictObject({});

const BY = 'kill-switch-file';
const halt = (why: string): StateRequest[] => [{ to: 'HALTED', by: BY, why: `${why}: halted to be safe` }];
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/**
 * Why the kill switch file cannot be read now (it does not exist, is a folder, cannot be opened), or
 * null when it can. `ashare run` refuses to start on such a path: a kill switch that is not there
 * cannot be pulled.
 */
export function killSwitchFileProblem(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return `the kill switch file ${path} is not a file`;
    readFileSync(path);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `the kill switch file ${path} does not exist` : `the kill switch file ${path} cannot be read (${code ?? firstLine(e)})`;
  }
}

/**
 * The kill switch of a paper or live run: a small YAML/JSON file read before each trading day's
 * decisions. `to: HALTED|REDUCING|ACTIVE`, `by: <person>`, `why: <reason>` asks for that state; `{}`
 * asks for nothing. It fails safe: a file that does not exist (deleted, moved, a mistyped path),
 * cannot be read, is empty or is malformed HALTS trading, with the problem as the reason — never
 * "no request". The engine records every change as TradingStateChanged, naming who and why.
 */
export function killSwitchFile(path: string): (day: string) => StateRequest[] {
  return () => {
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return halt(`the kill switch file ${path} does not exist`);
      return halt(`${path} is unreadable (${firstLine(e)})`);
    }
    if (raw === null || raw === undefined) return halt(`${path} is empty (write {} to ask for nothing)`);
    if (NoRequestSchema.safeParse(raw).success) return [];
    const r = RequestSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      return halt(`${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    return [r.data];
  };
}

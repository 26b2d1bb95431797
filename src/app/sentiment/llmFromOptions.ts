import { readFileSync, statSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { egressGuard } from '../../adapters/net/egressGuard.js';
import { loadMarketRules } from '../../adapters/market/marketRulesFile.js';
import { createLlmScorer, type LlmScorer } from '../../adapters/sentiment/llmScorer.js';
import type { Endpoint } from '../../domain/index.js';
import { airgapArmedAt, parseAirgapWindow, parseEndpoint, type AirgapWindow } from '../../domain/index.js';
import { loadConfig } from '../config/index.js';
import { AppError, EXIT } from '../errors.js';
import { join } from 'node:path';

export const DEFAULT_LLM_BASE_URL = 'https://api.deepseek.com';
export const DEFAULT_LLM_MODEL = 'deepseek-chat';
export const DEFAULT_LLM_KEY_ENV = 'DEEPSEEK_API_KEY';

export interface LlmOptions {
  readonly baseUrl?: string | undefined;
  readonly model?: string | undefined;
  /** The environment variable holding the key (default DEEPSEEK_API_KEY). */
  readonly keyEnv?: string | undefined;
  /** A file holding the key (first line); it must not be readable by others. */
  readonly keyFile?: string | undefined;
  /** Per request, headers and body (default the scorer's, 20,000 ms). */
  readonly timeoutMs?: number | undefined;
  /** Retries after the first attempt (default the scorer's, 2). */
  readonly maxRetries?: number | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** The flags `sentiment score` and `sentiment eval` take for the LLM's timeout and retries. */
export const llmLimitOptions = { 'timeout-ms': { type: 'string' }, retries: { type: 'string' } } as const;

/** Longest --timeout-ms: an hour (Node's timers cannot wait beyond 2^31 - 1 ms at all). */
export const LLM_TIMEOUT_MAX_MS = 3_600_000;
export const LLM_RETRIES_MAX = 10;

/** `--timeout-ms N` (a positive integer of milliseconds) and `--retries N` (0–10), checked; undefined when not given. */
export function llmLimitsFrom(v: { readonly 'timeout-ms'?: unknown; readonly retries?: unknown }): { timeoutMs: number | undefined; maxRetries: number | undefined } {
  const int = (raw: unknown): number => (typeof raw === 'string' && /^\d+$/u.test(raw.trim()) ? Number(raw.trim()) : NaN);
  const t = v['timeout-ms'] === undefined ? undefined : int(v['timeout-ms']);
  if (t !== undefined && !(t >= 1 && t <= LLM_TIMEOUT_MAX_MS)) {
    throw new AppError('USAGE', `--timeout-ms takes a positive integer number of milliseconds (at most ${LLM_TIMEOUT_MAX_MS}), got ${JSON.stringify(v['timeout-ms'])}`, EXIT.usage);
  }
  const r = v.retries === undefined ? undefined : int(v.retries);
  if (r !== undefined && !(r >= 0 && r <= LLM_RETRIES_MAX)) {
    throw new AppError('USAGE', `--retries takes an integer from 0 to ${LLM_RETRIES_MAX}, got ${JSON.stringify(v.retries)}`, EXIT.usage);
  }
  return { timeoutMs: t, maxRetries: r };
}

/**
 * The API key: from `keyFile` (0600, first line) or the environment variable. Never logged,
 * journaled or printed; a missing key is not an error here (the scorer answers NO_KEY and the
 * fallback scores), so the system works without any API.
 */
export function llmKey(o: LlmOptions): string | null {
  if (o.keyFile) {
    let mode: number;
    try {
      mode = statSync(o.keyFile).mode;
    } catch (e) {
      throw new AppError('LLM_KEY_FILE', `cannot read the API key file ${o.keyFile} (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`, EXIT.badInput);
    }
    if ((mode & 0o077) !== 0) throw new AppError('LLM_KEY_FILE', `the API key file ${o.keyFile} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`, EXIT.badInput);
    const k = readFileSync(o.keyFile, 'utf8').split(/\r?\n/)[0]!.trim();
    return k || null;
  }
  const k = o.env[o.keyEnv ?? DEFAULT_LLM_KEY_ENV]?.trim();
  return k || null;
}

export function llmScorerFrom(o: LlmOptions): LlmScorer {
  const baseURL = o.baseUrl ?? DEFAULT_LLM_BASE_URL;
  try {
    new URL(baseURL);
  } catch {
    throw new AppError('USAGE', `--base-url ${JSON.stringify(baseURL)} is not a URL like https://api.deepseek.com`, EXIT.usage);
  }
  return createLlmScorer({
    baseURL, model: o.model ?? DEFAULT_LLM_MODEL, apiKey: llmKey(o),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
  });
}

/**
 * The run config's air gap applied to this process: when the config has `airgap.enabled` and `now`
 * is inside its window, the egress guard is armed (the LLM cannot be reached but through `allow`, so
 * the fallback scorer answers and the journal says why). Returns whether it armed.
 */
export function armAirgapFromConfig(configPath: string | undefined, now: number, packageRoot: string): boolean {
  if (!configPath) return false;
  const l = loadConfig(configPath);
  if (isLeft(l)) throw new AppError(l.left.code, l.left.problems.join('\n'), EXIT.badInput);
  const a = l.right.config.airgap;
  if (!a?.enabled) return false;
  const mr = loadMarketRules(join(packageRoot, 'config', 'market'));
  if (isLeft(mr)) throw new AppError('MARKET_RULES_INVALID', mr.left.message, EXIT.internal);
  if (!airgapArmedAt(now, parseAirgapWindow(a.window) as AirgapWindow, mr.right.calendar)) return false;
  egressGuard().arm(a.allow.map((s) => parseEndpoint(s) as Endpoint));
  return true;
}

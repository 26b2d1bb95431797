import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { canonicalHash } from '../../domain/index.js';
import { loadRiskConfig } from '../../adapters/market/riskConfigFile.js';
import type { AppConfig } from './appConfig.js';
import { AppConfigSchema, AppConfigWithoutRiskSchema } from './appConfig.js';

export interface ConfigError {
  readonly code: 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND';
  /** One sentence per problem, each naming the file and key path. */
  readonly problems: readonly string[];
}

export interface LoadedConfig {
  readonly config: Readonly<AppConfig>;
  /** SHA-256 of the canonical JSON of the parsed config (defaults filled in). */
  readonly hash: string;
  /** Directory relative paths in the config are resolved against. */
  readonly baseDir: string;
}

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
};

/** Validates an already-parsed object (from YAML or a journal's RunStarted) as the run config. */
export function validateConfig(raw: unknown, where: string, baseDir: string): Either<ConfigError, LoadedConfig> {
  const obj = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  let input: unknown = obj;
  if (typeof obj === 'object' && !Array.isArray(obj)) {
    // `risk: FILE` names the risk limits; they are read here so the validated config carries them.
    if (obj['risk'] === undefined || obj['risk'] === null) {
      problems.push(`${where}: risk: missing; name the risk limits file (e.g. risk: risk.yaml): a run never starts without limits`);
    } else if (typeof obj['risk'] === 'string') {
      const rc = loadRiskConfig(resolve(baseDir, obj['risk']));
      if (rc._tag === 'Left') problems.push(...rc.left.problems.map((p) => `${where}: risk: ${p}`));
      else input = { ...obj, risk: rc.right };
    }
  }
  const rest = problems.length > 0 && typeof input === 'object' && input !== null
    ? AppConfigWithoutRiskSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'risk')))
    : null;
  const r = AppConfigSchema.safeParse(input);
  const issues = rest ? (rest.success ? [] : rest.error.issues) : (r.success ? [] : r.error.issues);
  if (!r.success || problems.length) {
    return left({
      code: 'CONFIG_INVALID',
      problems: [...problems, ...issues.map((i) => `${where}: ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)],
    });
  }
  const config = deepFreeze(r.data);
  return right({ config, hash: canonicalHash(config), baseDir });
}

export function loadConfig(path: string): Either<ConfigError, LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return left({ code: 'CONFIG_NOT_FOUND', problems: [`${path}: cannot read the config file`] });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return left({ code: 'CONFIG_INVALID', problems: [`${path}${line ? `:${line}` : ''}: not valid YAML (${(e as Error).message.split('\n')[0]})`] });
  }
  return validateConfig(raw, path, dirname(resolve(path)));
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  checkRateHeadroom, hftThresholdsOn, ProgrammaticFileSchema, RiskConfigSchema, type RiskConfig,
} from '../../domain/risk/riskConfig.js';
import { defaultMarketRulesDir } from './marketRulesFile.js';

export interface RiskConfigError {
  readonly code: 'CONFIG_NOT_FOUND' | 'CONFIG_INVALID';
  /** One sentence per problem, each naming the file and the key path. */
  readonly problems: readonly string[];
}

export interface RiskConfigOptions {
  /**
   * config/market/programmatic.yaml; by default `market/programmatic.yaml` beside the risk file, or
   * the installed package's when there is none beside it (a risk.yaml copied out of config/ alone).
   */
  readonly programmaticPath?: string;
  /** Trading day whose HFT thresholds apply; by default the strictest row. */
  readonly day?: string;
}

const keyOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}${acc ? '.' : ''}${String(k)}`), '') || '(root)';

function sentences(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => `${file}: ${keyOf([...i.path, k])}: unknown key (not a risk setting; check its spelling).`);
    }
    if (i.code !== 'custom' && 'input' in i && i.input === undefined) {
      return [`${file}: ${keyOf(i.path)}: missing; every limit must be set (a missing limit never means no limit).`];
    }
    return [`${file}: ${keyOf(i.path)}: ${i.message}.`];
  });
}

function readYaml(path: string): Either<RiskConfigError, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return left({ code: 'CONFIG_NOT_FOUND', problems: [`${path}: (root): the file cannot be read.`] });
  }
  try {
    return right(parseYaml(text) as unknown);
  } catch (e) {
    return left({ code: 'CONFIG_INVALID', problems: [`${path}: (root): not valid YAML (${(e as Error).message.split('\n')[0]}).`] });
  }
}

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
};

/**
 * Reads config/risk.yaml and the dated HFT thresholds, reporting every problem at once. The engine
 * must refuse to start on any problem.
 */
export function loadRiskConfig(path: string, opts: RiskConfigOptions = {}): Either<RiskConfigError, RiskConfig> {
  const beside = join(dirname(path), 'market', 'programmatic.yaml');
  const packaged = join(defaultMarketRulesDir(), 'programmatic.yaml');
  const progPath = opts.programmaticPath ?? (existsSync(beside) ? beside : packaged);
  const raw = readYaml(path);
  if (raw._tag === 'Left') return raw;
  const prog = readYaml(progPath);
  if (prog._tag === 'Left') {
    // Say where the tables were looked for, so a copied config can be fixed without reading code.
    const looked = opts.programmaticPath ? '' : ` (the HFT thresholds were looked for beside the risk file at ${beside}, then in the package at ${packaged})`;
    return left({ ...prog.left, problems: prog.left.problems.map((p) => p + looked) });
  }
  const problems: string[] = [];
  const r = RiskConfigSchema.safeParse(raw.right ?? {}, { reportInput: true });
  if (!r.success) problems.push(...sentences(path, r.error.issues));
  const p = ProgrammaticFileSchema.safeParse(prog.right ?? {}, { reportInput: true });
  if (!p.success) problems.push(...sentences(progPath, p.error.issues));
  if (r.success && p.success) {
    for (const x of checkRateHeadroom(r.data, hftThresholdsOn(p.data.hft, opts.day))) problems.push(`${path}: ${x.path}: ${x.message}.`);
  }
  if (problems.length || !r.success) return left({ code: 'CONFIG_INVALID', problems });
  return right(deepFreeze(r.data));
}

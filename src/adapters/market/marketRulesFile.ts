import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  checkMarketRuleTables, createMarketRules, RULE_FILES, zBoardsFile, zFeesFile, zPriceLimitsFile, zTradingFile,
  type CalendarTable, type MarketRules, type MarketRuleTables,
} from '../../domain/rules/index.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { parseHolidayTable } from './calendarFile.js';

export interface MarketRulesFileError {
  readonly code: 'CONFIG_NOT_FOUND' | 'CONFIG_INVALID';
  readonly dir: string;
  /** Every problem found in any of the files, each `path/to/file.yaml: key.path: what is wrong`. */
  readonly issues: readonly string[];
  /** One sentence for the user: the first problem and how many more there are. */
  readonly message: string;
}

/** config/market of the installed package (wherever the process was started from). */
export function defaultMarketRulesDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, d = dirname(d)) {
    try {
      if ((JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string }).name === 'ashare') return join(d, 'config', 'market');
    } catch { /* keep climbing */ }
  }
  return join(process.cwd(), 'config', 'market');
}

const keyOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, k) => typeof k === 'number' ? `${acc}[${k}]`
    : /^[A-Za-z_]\w*$/.test(String(k)) ? `${acc}${acc ? '.' : ''}${String(k)}` : `${acc}[${JSON.stringify(String(k))}]`, '') || '(root)';

type Read = { readonly text: string } | { readonly missing: true } | { readonly error: string };
function readText(path: string): Read {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { missing: true } : { error: `cannot be read (${code ?? (e as Error).message})` };
  }
}

/**
 * Reads and checks every rule table under `dir` (boards, price-limits, trading, fees, holidays — YAML,
 * validated with zod, then the cross-row checks), reporting every problem of every file at once.
 */
export function loadMarketRuleTables(dir: string = defaultMarketRulesDir()): Either<MarketRulesFileError, MarketRuleTables> {
  const issues: string[] = [];
  let missing = false;
  const fileOf = (name: string): string => join(dir, name);

  const parseFile = <S extends z.ZodType>(name: string, schema: S): z.output<S> | undefined => {
    const path = fileOf(name);
    const r = readText(path);
    if ('missing' in r) { missing = true; issues.push(`${path}: (root): the file does not exist`); return undefined; }
    if ('error' in r) { issues.push(`${path}: (root): ${r.error}`); return undefined; }
    let raw: unknown;
    try {
      raw = parseYaml(r.text);
    } catch (e) {
      issues.push(`${path}: (root): not valid YAML (${(e as Error).message.split('\n')[0]!.replace(/:\s*$/, '')})`);
      return undefined;
    }
    const p = schema.safeParse(raw);
    if (!p.success) { for (const i of p.error.issues) issues.push(`${path}: ${keyOf(i.path)}: ${i.message}`); return undefined; }
    return p.data;
  };

  const boards = parseFile(RULE_FILES.boards, zBoardsFile);
  const priceLimits = parseFile(RULE_FILES.priceLimits, zPriceLimitsFile);
  const trading = parseFile(RULE_FILES.trading, zTradingFile);
  const fees = parseFile(RULE_FILES.fees, zFeesFile);
  const calendar = readCalendar(fileOf(RULE_FILES.calendar), issues, () => { missing = true; });

  if (boards && priceLimits && trading && fees && calendar) {
    const tables: MarketRuleTables = { boards: boards.boards, priceLimits, trading, fees, calendar };
    for (const i of checkMarketRuleTables(tables)) {
      const file = Object.values(RULE_FILES).find((f) => i.startsWith(`${f}: `));
      issues.push(file ? `${fileOf(file)}${i.slice(file.length)}` : i);
    }
    if (issues.length === 0) return right(deepFreeze(tables));
  }
  return left({
    code: missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID',
    dir,
    issues,
    message: `${issues[0]}${issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : ''}.`,
  });
}

function readCalendar(path: string, issues: string[], onMissing: () => void): CalendarTable | undefined {
  const r = readText(path);
  if ('missing' in r) { onMissing(); issues.push(`${path}: (root): the file does not exist`); return undefined; }
  if ('error' in r) { issues.push(`${path}: (root): ${r.error}`); return undefined; }
  const t = parseHolidayTable(r.text, path);
  if (t._tag === 'Left') { for (const i of t.left.issues) issues.push(`${path}: ${i}`); return undefined; }
  const closures = t.right.years.flatMap((y) => Object.values(y.closures).flat()).sort() as TradingDay[];
  return { firstDay: t.right.firstDay, lastDay: t.right.lastDay, closures };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The MarketRules port from the tables under `dir` (default: the package's config/market). */
export function loadMarketRules(dir: string = defaultMarketRulesDir()): Either<MarketRulesFileError, MarketRules> {
  const t = loadMarketRuleTables(dir);
  if (t._tag === 'Left') return t;
  try {
    return right(createMarketRules(t.right));
  } catch (e) {
    // Every cross-row check ran above; this is a table the checks did not foresee.
    const issue = `${dir}: (root): ${(e as Error).message}`;
    return left({ code: 'CONFIG_INVALID', dir, issues: [issue], message: `${issue}.` });
  }
}

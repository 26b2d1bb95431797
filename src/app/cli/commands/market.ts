import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseTradingDay } from '../../../domain/index.js';
import { generateMarket, generateReference } from '../../../domain/synthetic/index.js';
import { writeFileSync } from 'node:fs';
import { writeBarCsv, writeDividendCsv } from '../../../adapters/bars/index.js';
import { loadHolidayCalendar } from '../../../adapters/market/index.js';
import { AppError, EXIT } from '../../errors.js';
import { packageRoot, parse, printJson } from '../io.js';

const HELP = `
Usage: ashare market generate --symbols N --days D --seed S --out FILE [--start YYYY-MM-DD] [--dividends FILE] [--json]

Writes a deterministic synthetic A-share market as a canonical bar CSV
(symbol,date,open,high,low,close,volume,amount,pre_close,is_st): SSE/SZSE main board, ChiNext, STAR
and a few BSE codes on the exchange calendar, with limit-up/limit-down days, suspensions (missing
rows), ST names and cash dividends (ex-rights pre_close). The dividends go to --dividends FILE
(default: FILE with .dividends.csv), the instruments' sectors and issued shares (for the risk rules;
backtest/paper --instruments) to FILE with .instruments.csv. The same seed gives byte-identical files.`;

const whole = (name: string, v: unknown, max: number): number => {
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new AppError('USAGE', `--${name} takes a whole number from 1 to ${max}, got ${JSON.stringify(v ?? null)}`, EXIT.usage);
  }
  return Number(v);
};

export async function marketCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'generate') {
    if (sub === '--help' || sub === '-h') { process.stdout.write(HELP.trimStart()); return EXIT.ok; }
    throw new AppError('USAGE', `unknown market command ${JSON.stringify(sub ?? '')}; use: ashare market generate (see --help)`, EXIT.usage);
  }
  const a = parse(rest, {
    symbols: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    start: { type: 'string' }, dividends: { type: 'string' }, json: { type: 'boolean' },
  }, HELP);
  if (!a) return EXIT.ok;
  const symbols = whole('symbols', a.values.symbols, 10_000);
  const days = whole('days', a.values.days, 10_000);
  const seed = typeof a.values.seed === 'string' && /^\d+$/.test(a.values.seed) ? Number(a.values.seed) : undefined;
  if (seed === undefined) throw new AppError('USAGE', `--seed takes a whole number, got ${JSON.stringify(a.values.seed ?? null)}`, EXIT.usage);
  const out = a.values.out;
  if (typeof out !== 'string') throw new AppError('USAGE', 'market generate needs --out FILE', EXIT.usage);
  const start = a.values.start === undefined ? undefined : parseTradingDay(a.values.start);
  if (a.values.start !== undefined && !start) throw new AppError('USAGE', `--start must be a date YYYY-MM-DD`, EXIT.usage);
  const cal = loadHolidayCalendar(join(packageRoot(), 'config', 'market', 'holidays.yaml'));
  if (isLeft(cal)) throw new AppError(cal.left.code, cal.left.message, EXIT.internal);
  const m = generateMarket({ symbols, days, seed, calendar: cal.right, ...(start ? { startDay: start } : {}) });
  const dayList = [...m.days];
  await writeBarCsv(out, dayList); // awaited: a full disk is this command's failure, not an unhandled rejection after "wrote …"
  const divPath = a.values.dividends ?? out.replace(/(\.csv)?(\.gz)?$/, '.dividends.csv');
  await writeDividendCsv(divPath, m.dividends);
  // The instruments file is written only when there is a first day to date the reference data by.
  const instPath = dayList.length > 0 ? out.replace(/(\.csv)?(\.gz)?$/, '.instruments.csv') : null;
  if (instPath !== null) {
    const ref = generateReference(m.instruments.map((i) => i.symbol), dayList[0]!.day as never, seed);
    writeFileSync(instPath, ['symbol,sector,total_shares', ...ref.symbols.map((sym, i) => `${sym},${ref.sectors[i] ?? ''},${ref.totalShares[i] ?? ''}`)].join('\n') + '\n');
  }
  const rows = dayList.reduce((s, d) => s + d.symbols.length, 0);
  const summary = { bars: out, dividends: divPath, instruments: instPath, symbols: m.instruments.length, days: dayList.length, rows, firstDay: dayList[0]?.day ?? null, lastDay: dayList[dayList.length - 1]?.day ?? null, dividendEvents: m.dividends.length };
  if (a.values.json) printJson(summary);
  else {
    const inst = instPath === null ? '' : ` and the instruments (sector, issued shares) of ${summary.symbols} symbols to ${instPath}`;
    process.stdout.write(`wrote ${rows} bars (${summary.symbols} symbols × ${summary.days} days, ${summary.firstDay} … ${summary.lastDay}) to ${out}, ${m.dividends.length} dividends to ${divPath}${inst}\n`);
  }
  return EXIT.ok;
}

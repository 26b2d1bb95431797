import { isLeft } from 'fp-ts/lib/Either.js';
import { readBarCsv } from '../../../adapters/bars/index.js';
import type { DayBars } from '../../../domain/bars.js';
import { backwardFactorsFromBars, qfqSeries } from '../../../domain/corporate/adjustment.js';
import { INDICATORS, findIndicator, type IndicatorSpec, type Ohlcv } from '../../../domain/indicators/index.js';
import { AppError, EXIT } from '../../errors.js';
import { parse, printJson } from '../io.js';

const HELP = `
Usage: ashare indicators --list [--json]
       ashare indicators --bars FILE --name NAME [--param k=v …] [--raw] [--precision full|N]

Technical indicators over a canonical bar CSV. --list prints every indicator with its parameters
(and defaults) and output columns. With --bars and --name it prints CSV "symbol,date,<outputs>", one
row per bar, symbols ascending then dates ascending; a cell is empty before the indicator is warm
(or where its value is not finite). Prices are forward-adjusted (qfq) by default, per symbol, from the
file's pre_close (an ex-date is a bar whose pre_close differs from the previous close; anchor = the
symbol's last bar; turnover is scaled with the prices, volume is not); --raw uses the prices as given.
Prices in CNY, volume in shares, amount in CNY.

Values print at full precision by default (--precision full): the shortest decimal that reads back as
the same double (JavaScript's own number-to-string, e.g. 9.1584 or 8.999999999999998; exponent form
below 1e-6), so output can be compared with another tool's at 1e-9. --precision N (0-20) rounds each
value to N decimals instead and drops trailing zeros.`;

interface SymbolBar extends Ohlcv { readonly day: string; readonly preClose: number | null }

/** Per-symbol series, days ascending, prices and amount in CNY. */
function seriesBySymbol(days: readonly DayBars[]): Map<string, SymbolBar[]> {
  const out = new Map<string, SymbolBar[]>();
  for (const d of days) {
    d.symbols.forEach((s, i) => {
      let a = out.get(s);
      if (!a) out.set(s, (a = []));
      const pc = d.preClose[i];
      a.push({
        day: d.day, open: d.open[i]! / 1000, high: d.high[i]! / 1000, low: d.low[i]! / 1000, close: d.close[i]! / 1000,
        volume: d.volume[i]!, amount: d.amountFen[i]! / 100, preClose: pc === null || pc === undefined ? null : pc / 1000,
      });
    });
  }
  return out;
}

/** Forward-adjusts one symbol's bars (anchor = its last bar); turnover scales with the prices. */
function forwardAdjust(bars: readonly SymbolBar[]): Ohlcv[] {
  const factors = backwardFactorsFromBars(bars);
  const adj = qfqSeries(bars, factors);
  const anchor = factors[factors.length - 1]!;
  return bars.map((b, i) => ({ ...adj[i]!, volume: b.volume, amount: (b.amount! * factors[i]!) / anchor }));
}

function parseParams(spec: IndicatorSpec, raw: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of raw) {
    const m = /^([A-Za-z0-9_]+)=(.+)$/.exec(p);
    if (!m) throw new AppError('USAGE', `--param takes k=v, got ${JSON.stringify(p)}`, EXIT.usage);
    const [, k, v] = m as unknown as [string, string, string];
    if (!(k in spec.params)) {
      throw new AppError('USAGE', `${spec.name} has no parameter '${k}' (it takes: ${Object.keys(spec.params).join(', ') || 'none'})`, EXIT.usage);
    }
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new AppError('USAGE', `--param ${k} takes a number, got ${JSON.stringify(v)}`, EXIT.usage);
    out[k] = n;
  }
  return out;
}

/** `full` (default): shortest round-trip; N: rounded to N decimals, trailing zeros dropped. */
function parsePrecision(raw: string | undefined): number | 'full' {
  if (raw === undefined || raw === 'full') return 'full';
  if (!/^\d+$/.test(raw) || Number(raw) > 20) throw new AppError('USAGE', `--precision takes full or an integer 0-20, got ${JSON.stringify(raw)}`, EXIT.usage);
  return Number(raw);
}

const formatter = (precision: number | 'full') => (v: number | null | undefined): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return precision === 'full' ? String(v) : String(Number(v.toFixed(precision)));
};

function listIndicators(json: boolean): void {
  if (json) {
    printJson(INDICATORS.map((s) => ({ name: s.name, params: s.params, outputs: s.outputs })));
    return;
  }
  const lines = INDICATORS.map((s) => {
    const params = Object.entries(s.params).map(([k, v]) => `${k}=${v}`).join(' ') || '-';
    return `${s.name.padEnd(13)} ${s.input.padEnd(6)} ${params.padEnd(24)} -> ${s.outputs.join(',')}`;
  });
  process.stdout.write(`${'name'.padEnd(13)} ${'input'.padEnd(6)} ${'params (defaults)'.padEnd(24)}    outputs\n${lines.join('\n')}\n`);
}

export async function indicatorsCommand(argv: string[]): Promise<number> {
  const a = parse(argv, {
    list: { type: 'boolean' }, json: { type: 'boolean' }, bars: { type: 'string' }, name: { type: 'string' },
    param: { type: 'string', multiple: true }, raw: { type: 'boolean' }, precision: { type: 'string' },
  }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (v.list === true) {
    listIndicators(v.json === true);
    return EXIT.ok;
  }
  if (typeof v.bars !== 'string' || typeof v.name !== 'string') throw new AppError('USAGE', 'indicators needs --list, or --bars FILE and --name NAME (see --help)', EXIT.usage);
  const spec = findIndicator(v.name);
  if (!spec) throw new AppError('USAGE', `unknown indicator ${JSON.stringify(v.name)} (see ashare indicators --list)`, EXIT.usage);
  const params = parseParams(spec, (v.param ?? []) as string[]);
  const cell = formatter(parsePrecision(typeof v.precision === 'string' ? v.precision : undefined));
  try { spec.create(params); } catch (e) { throw new AppError('USAGE', `${spec.name}: ${(e as Error).message}`, EXIT.usage); }

  const file = await readBarCsv(v.bars);
  if (isLeft(file)) throw new AppError(file.left.code, file.left.message, EXIT.badInput);
  const out: string[] = [['symbol', 'date', ...spec.outputs].join(',')];
  const bySymbol = seriesBySymbol(file.right.days);
  for (const symbol of [...bySymbol.keys()].sort()) {
    const bars = bySymbol.get(symbol)!;
    let input: Ohlcv[];
    try { input = v.raw === true ? bars : forwardAdjust(bars); } catch (e) { throw new AppError('BARS_INVALID', `${symbol}: ${(e as Error).message}`, EXIT.badInput); }
    const cols = spec.batch(input, params);
    bars.forEach((b, i) => out.push([symbol, b.day, ...spec.outputs.map((o) => cell(cols[o]![i]))].join(',')));
  }
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

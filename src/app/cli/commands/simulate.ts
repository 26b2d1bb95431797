import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { cnyToFen, rateFromFraction } from '../../../domain/index.js';
import { parseSlippage } from '../../../domain/execution/slippage.js';
import { readBarCsv } from '../../../adapters/bars/index.js';
import { loadMarketRules } from '../../../adapters/market/marketRulesFile.js';
import { AppError, EXIT } from '../../errors.js';
import { parseOrderLines, readInstrumentsCsv, simulateOrders } from '../../simulate/index.js';
import { packageRoot, parse } from '../io.js';

const HELP = `
Usage: ashare simulate --bars FILE --orders FILE [--instruments FILE] [--cash N] [--commission-rate R]
                       [--min-commission N] [--slippage none|bps:N|ticks:N|sqrt:K:SIGMA] [--participation F]
                       [--market-price open|vwap|close] [--fees-separate] [--allow-non-trading-days]

The rules oracle. Matches each order of a JSONL file against its day's bar (canonical bar CSV) under
the A-share rules in force that day (config/market: boards, price limits incl. IPO no-limit days,
lots, order caps, calendar, fees), then expires it at the close unless filled. Orders run by day,
then in file order; T+1 holds across days; a sale funds later buys the same day.
  order line: {"id":"o1","day":"2025-01-03","symbol":"600519.SH","side":"buy","qty":100,"type":"limit","limitPrice":1500.01}
  output: one JSON line per order in input order
    {"id","status":"filled"|"partial"|"rejected"|"expired","filledQty","avgPrice","commission","stampDuty",
     "transferFee","reason",...}  (money in CNY, 0.01; reason a stable code for every non-fill)
  then {"summary":true,"cash":…,"positions":{"600519.SH":{"qty":…,"sellable":…}}}
Defaults: cash 1,000,000 CNY; commission 0.025% with a 5 CNY minimum per order (exchange handling and
CSRC fees inside it unless --fees-separate); no slippage; participation 1.0; market orders at the open.
A malformed order line is reported as BAD_ORDER with its line number; the run goes on.
The bar file is checked first: a code on no board (unless --instruments lists it), a day the exchange
was closed or the calendar does not cover, a price off the tick (0.01 CNY for stocks: adjusted
prices) is an error naming file, line, symbol and day (exit 3). --allow-non-trading-days keeps bars
on closed days; days beyond config/market/holidays.yaml stay an error.`;

const num = (name: string, v: unknown, lo: number, hi: number, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n < lo || n > hi) throw new AppError('USAGE', `--${name} takes a number from ${lo} to ${hi}, got ${JSON.stringify(v)}`, EXIT.usage);
  return n;
};

export async function simulateCommand(argv: string[]): Promise<number> {
  const a = parse(argv, {
    bars: { type: 'string' }, orders: { type: 'string' }, instruments: { type: 'string' }, cash: { type: 'string' },
    'commission-rate': { type: 'string' }, 'min-commission': { type: 'string' }, slippage: { type: 'string' },
    participation: { type: 'string' }, 'market-price': { type: 'string' }, 'fees-separate': { type: 'boolean' },
    'allow-non-trading-days': { type: 'boolean' },
  }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.bars !== 'string' || typeof v.orders !== 'string') throw new AppError('USAGE', 'simulate needs --bars FILE and --orders FILE (see --help)', EXIT.usage);
  const cash = num('cash', v.cash, 0, 1e12, 1_000_000);
  const rate = num('commission-rate', v['commission-rate'], 0, 0.003, 0.00025);
  const minCommission = num('min-commission', v['min-commission'], 0, 1000, 5);
  const participation = num('participation', v.participation, 1e-9, 1, 1);
  const slippage = parseSlippage(typeof v.slippage === 'string' ? v.slippage : 'none');
  if (isLeft(slippage)) throw new AppError('USAGE', `--slippage: ${slippage.left.message}`, EXIT.usage);
  const marketPrice = v['market-price'] ?? 'open';
  if (marketPrice !== 'open' && marketPrice !== 'vwap' && marketPrice !== 'close') throw new AppError('USAGE', '--market-price takes open, vwap or close', EXIT.usage);

  const rules = loadMarketRules(join(packageRoot(), 'config', 'market'));
  if (isLeft(rules)) throw new AppError('CONFIG_INVALID', rules.left.message, EXIT.internal);
  let instruments;
  if (typeof v.instruments === 'string') {
    const r = readInstrumentsCsv(v.instruments);
    if (isLeft(r)) throw new AppError('INSTRUMENTS_INVALID', r.left, EXIT.badInput);
    instruments = r.right;
  }
  const bars = await readBarCsv(v.bars, {
    rules: rules.right, ...(v['allow-non-trading-days'] === true ? { allowNonTradingDays: true } : {}),
    ...(instruments ? { knownSymbols: new Set(instruments.keys()) } : {}),
  });
  if (isLeft(bars)) throw new AppError(bars.left.code, bars.left.message, EXIT.badInput);
  let ordersText: string;
  try { ordersText = readFileSync(v.orders, 'utf8'); } catch { throw new AppError('ORDERS_NOT_FOUND', `${v.orders}: cannot read the orders file`, EXIT.badInput); }
  const { outcomes, summary } = simulateOrders(bars.right.days, parseOrderLines(ordersText), {
    rules: rules.right, cashFen: cnyToFen(cash), participation, slippage: slippage.right, marketPrice,
    account: { commissionRate: rateFromFraction(rate), minCommissionFen: cnyToFen(minCommission), regulatoryFeesInsideCommission: v['fees-separate'] !== true },
    ...(instruments ? { instruments } : {}),
  });
  const out: string[] = outcomes.map((x) => JSON.stringify({
    id: x.id, status: x.status, filledQty: x.filledQty, avgPrice: x.avgPrice, commission: x.commission, stampDuty: x.stampDuty,
    transferFee: x.transferFee, reason: x.reason, otherFees: x.otherFees, line: x.line, ...(x.details ? { details: x.details } : {}),
  }));
  out.push(JSON.stringify(summary));
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

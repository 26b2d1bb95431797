import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadMarketRules } from '../../../adapters/market/marketRulesFile.js';
import type { LoadedConfig } from '../../config/index.js';
import { loadConfig, validateConfig } from '../../config/index.js';
import type { BacktestResult } from '../../backtest/index.js';
import { runBacktest } from '../../backtest/index.js';
import { AppError, EXIT } from '../../errors.js';
import { killSwitchFile } from '../../engine/killSwitchFile.js';
import { codeVersion, fileStamp, keyFrom, keyFromConfig, keyOptions, packageRoot, parse, printJson, progressBar } from '../io.js';

const marketRules = () => {
  const r = loadMarketRules(join(packageRoot(), 'config', 'market'));
  if (isLeft(r)) throw new AppError('MARKET_RULES_INVALID', r.left.message, EXIT.internal);
  return r.right;
};

function printSummary(r: BacktestResult, json: boolean): void {
  const m = r.metrics;
  const out = {
    journal: r.journalPath, report: r.reportPath, projectionHash: r.projectionHash, headHash: r.headHash, encrypted: r.encrypted,
    symbols: r.symbols, days: r.days, events: r.events,
    metrics: { totalReturn: m.totalReturn, cagr: m.cagr, sharpe: m.sharpe, maxDrawdown: m.maxDrawdown, annualVolatility: m.annualVolatility, trades: m.trades, feesCny: m.feesFen / 100 },
  };
  // Bare bars carry no issued shares, so the disclosure cap cannot be checked and every buy is denied:
  // a run with no trades must say why (stderr, so --json output stays one document).
  const n = r.deniedForUnknownIssuedShares;
  if (n > 0) {
    process.stderr.write(`warning: ${n} buy${n === 1 ? '' : 's'} denied by the disclosure rule: issued shares unknown, so the holding cap (disclosureThresholdPct of issued shares) cannot be checked. `
      + 'Pass --instruments FILE (symbol,sector,total_shares), or switch the rule off in risk.yaml with a reason: '
      + 'disabledRules: [{ rule: disclosure, why: "…" }]\n');
  }
  if (json) return printJson(out);
  const p = (x: number) => `${(x * 100).toFixed(2)}%`;
  process.stdout.write([
    `Backtest: ${r.symbols} symbols × ${r.days} trading days, ${r.events} journal events${r.encrypted ? ' (encrypted)' : ''}`,
    `  total return ${p(m.totalReturn)}, CAGR ${p(m.cagr)}, Sharpe ${m.sharpe.toFixed(2)}, max drawdown ${p(m.maxDrawdown)}, ${m.trades} fills, fees ${(m.feesFen / 100).toFixed(2)} CNY`,
    `  journal ${r.journalPath}`, r.reportPath ? `  report  ${r.reportPath}` : '  report  not written: the journal is encrypted and a report is plain text (pass --report-dir DIR to write one there, or ashare report --journal … --out DIR)', `  projection hash ${r.projectionHash}`, '',
  ].join('\n'));
}

async function execute(loaded: LoadedConfig, values: Record<string, unknown>): Promise<number> {
  const ks = values['kill-switch'];
  const bar = progressBar(`${loaded.config.mode}: days`, { quiet: values.json === true, unit: 'bars' });
  const key = keyFrom(values as never) ?? keyFromConfig(loaded);
  const r = await runBacktest({
    loaded, marketRules: marketRules(), codeVersion: codeVersion(), stamp: fileStamp(), key,
    barsOverride: values.bars as string | undefined, instrumentsOverride: values.instruments as string | undefined,
    ...(typeof ks === 'string' ? { control: killSwitchFile(resolve(ks)) } : {}), journalPath: values.journal as string | undefined,
    reportDir: values['report-dir'] as string | undefined, onDay: (day, i, total, bars) => bar.update(i, total, day, bars),
    appendThread: true,
  });
  bar.done();
  printSummary(r, values.json === true);
  return EXIT.ok;
}

const common = { json: { type: 'boolean' }, journal: { type: 'string' }, 'report-dir': { type: 'string' }, instruments: { type: 'string' }, ...keyOptions } as const;


export async function backtestCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { config: { type: 'string' }, bars: { type: 'string' }, 'allow-non-trading-days': { type: 'boolean' }, ...common }, `
Usage: ashare backtest --config FILE [--bars FILE [--instruments FILE]] [--allow-non-trading-days] [--json] [--journal PATH] [--report-dir DIR] [--key-file FILE]

Runs a backtest described by a YAML config and writes a journal (one SQLite file per run) and a report.
  --config FILE      the run configuration (see config/backtest.yaml)
  --bars FILE        canonical bar CSV to run on instead of the config's market source. Bars from a
                     CSV or the store are checked before the run: a code on no board (unless the
                     instruments file lists it), a day the exchange was closed or the calendar does
                     not cover, a price off the tick (0.01 CNY for stocks: adjusted prices) is an
                     error naming file, line, symbol and day (exit 3)
  --allow-non-trading-days
                     keep bars dated on days the exchange was closed (market.allowNonTradingDays:
                     true in the config); days beyond config/market/holidays.yaml stay an error
  --instruments FILE symbol,sector,total_shares CSV for the risk rules (sector concentration,
                     5% disclosure); without it every symbol is in one pooled sector and buys are
                     denied for unknown issued shares while the disclosure rule is on
  --journal PATH     journal file to create; it must not exist yet (default: <journal.dir>/<name>-<timestamp>.sqlite)
  --report-dir DIR   where report.html, metrics.json and equity.csv go (default: beside the journal)
  --key-file FILE    encrypt the journal with this AES-256 key file (or set ASHARE_JOURNAL_KEY_FILE /
                     ASHARE_JOURNAL_PASSPHRASE)
  --json             print the summary as one JSON object`);
  if (!a) return EXIT.ok;
  if (typeof a.values.config !== 'string') throw new AppError('USAGE', 'backtest needs --config FILE (see --help)', EXIT.usage);
  const loaded = loadConfig(a.values.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  if (loaded.right.config.mode !== 'backtest') {
    throw new AppError('CONFIG_INVALID', `${a.values.config}: mode is ${loaded.right.config.mode}; run it with ashare run`, EXIT.badInput);
  }
  if (a.values['allow-non-trading-days'] !== true) return execute(loaded.right, a.values);
  // The flag is the config key, so the run's journaled config (and its hash) says non-trading days were let in.
  const c = loaded.right.config;
  const allowed = validateConfig({ ...c, market: { ...c.market, allowNonTradingDays: true } }, '--allow-non-trading-days', loaded.right.baseDir);
  if (isLeft(allowed)) throw new AppError(allowed.left.code, allowed.left.problems.join('\n'), EXIT.badInput);
  return execute(allowed.right, a.values);
}

export async function demoCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { symbols: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, ...common }, `
Usage: ashare demo [--json] [--symbols N] [--days D] [--seed S] [--journal PATH] [--report-dir DIR] [--key-file FILE]

Generates a synthetic A-share market (config/demo.yaml: 60 symbols × 500 days, seed 7), backtests the
SMA-crossover strategy on it under the client's limits (config/risk-demo.yaml: risk.yaml's limits, and
back to ACTIVE 20 trading days after the drawdown limit), writes the journal under journal/ and a
report beside it (the equity chart shaded by trading state), and prints a summary. Two runs give the
same projection hash and the same journal head hash.
  --journal PATH     journal file to create; it must not exist yet (default: journal/demo-<timestamp>.sqlite)
  --report-dir DIR   where report.html, metrics.json and equity.csv go (default: beside the journal;
                     with --key-file no plain-text report is written unless this says where)
  --key-file FILE    encrypt the journal with this AES-256 key file (or set ASHARE_JOURNAL_KEY_FILE /
                     ASHARE_JOURNAL_PASSPHRASE)`);
  if (!a) return EXIT.ok;
  const base = loadConfig(join(packageRoot(), 'config', 'demo.yaml'));
  if (isLeft(base)) throw new AppError(base.left.code, base.left.problems.join('\n'), EXIT.internal);
  const num = (k: 'symbols' | 'days' | 'seed'): number | undefined => {
    const v = a.values[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new AppError('USAGE', `--${k} takes a whole number, got ${JSON.stringify(v)}`, EXIT.usage);
    return Number(v);
  };
  const c = base.right.config;
  const raw = { ...c, market: { ...c.market, synthetic: { ...c.market.synthetic!, ...stripUndefined({ symbols: num('symbols'), days: num('days'), seed: num('seed') }) } } };
  const loaded = validateConfig(raw, '--symbols/--days/--seed', base.right.baseDir);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.usage);
  return execute(loaded.right, a.values);
}

const stripUndefined = (o: Record<string, number | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

import { join, resolve } from 'node:path';
import type { JournalKey } from '../../../adapters/journal/index.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadMarketRules } from '../../../adapters/market/marketRulesFile.js';
import type { LoadedConfig } from '../../config/index.js';
import { loadConfig, validateConfig } from '../../config/index.js';
import type { BacktestResult } from '../../backtest/index.js';
import { runBacktest } from '../../backtest/index.js';
import { AppError, EXIT } from '../../errors.js';
import { killSwitchFile } from '../../engine/killSwitchFile.js';
import { codeVersion, fileStamp, keyFrom, keyOptions, packageRoot, parse, printJson, progressBar } from '../io.js';

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
  if (json) return printJson(out);
  const p = (x: number) => `${(x * 100).toFixed(2)}%`;
  process.stdout.write([
    `Backtest: ${r.symbols} symbols × ${r.days} trading days, ${r.events} journal events${r.encrypted ? ' (encrypted)' : ''}`,
    `  total return ${p(m.totalReturn)}, CAGR ${p(m.cagr)}, Sharpe ${m.sharpe.toFixed(2)}, max drawdown ${p(m.maxDrawdown)}, ${m.trades} fills, fees ${(m.feesFen / 100).toFixed(2)} CNY`,
    `  journal ${r.journalPath}`, `  report  ${r.reportPath}`, `  projection hash ${r.projectionHash}`, '',
  ].join('\n'));
}

async function execute(loaded: LoadedConfig, values: Record<string, unknown>, paceMs?: number): Promise<number> {
  const ks = values['kill-switch'];
  const bar = progressBar(loaded.config.mode);
  const key = keyFrom(values as never) ?? keyFromConfig(loaded);
  if (loaded.config.mode !== 'backtest' && !key && values['allow-plaintext'] !== true) {
    throw new AppError('JOURNAL_KEY_REQUIRED', `a ${loaded.config.mode} journal must be encrypted: set journal.keyFile or journal.passphraseEnv, pass --key-file, or --allow-plaintext`, EXIT.journal);
  }
  const r = await runBacktest({
    loaded, marketRules: marketRules(), codeVersion: codeVersion(), stamp: fileStamp(), key, ...(paceMs !== undefined ? { paceMs } : {}),
    barsOverride: values.bars as string | undefined, instrumentsOverride: values.instruments as string | undefined,
    ...(typeof ks === 'string' ? { control: killSwitchFile(resolve(ks)) } : {}), journalPath: values.journal as string | undefined,
    reportDir: values['report-dir'] as string | undefined, onDay: (day, i, total) => bar.update(i, total, day),
  });
  bar.done();
  printSummary(r, values.json === true);
  return EXIT.ok;
}

const common = { json: { type: 'boolean' }, journal: { type: 'string' }, 'report-dir': { type: 'string' }, instruments: { type: 'string' }, ...keyOptions } as const;


export async function backtestCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { config: { type: 'string' }, bars: { type: 'string' }, ...common }, `
Usage: ashare backtest --config FILE [--bars FILE [--instruments FILE]] [--json] [--journal PATH] [--report-dir DIR] [--key-file FILE]

Runs a backtest described by a YAML config and writes a journal (one SQLite file per run) and a report.
  --config FILE      the run configuration (see config/backtest.yaml)
  --bars FILE        canonical bar CSV to run on instead of the config's market source
  --instruments FILE symbol,sector,total_shares CSV for the risk rules (sector concentration,
                     5% disclosure); without it every symbol is in one pooled sector and buys are
                     denied for unknown issued shares while the disclosure rule is on
  --journal PATH     journal file to create (default: <journal.dir>/<name>-<timestamp>.sqlite)
  --report-dir DIR   where report.html, metrics.json and equity.csv go (default: beside the journal)
  --key-file FILE    encrypt the journal with this AES-256 key file (or set ASHARE_JOURNAL_KEY_FILE /
                     ASHARE_JOURNAL_PASSPHRASE)
  --json             print the summary as one JSON object`);
  if (!a) return EXIT.ok;
  if (typeof a.values.config !== 'string') throw new AppError('USAGE', 'backtest needs --config FILE (see --help)', EXIT.usage);
  const loaded = loadConfig(a.values.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  if (loaded.right.config.mode !== 'backtest') {
    throw new AppError('CONFIG_INVALID', `${a.values.config}: mode is ${loaded.right.config.mode}; run it with ashare ${loaded.right.config.mode}`, EXIT.badInput);
  }
  return execute(loaded.right, a.values);
}

export async function paperCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { config: { type: 'string' }, bars: { type: 'string' }, 'pace-ms': { type: 'string' }, 'allow-plaintext': { type: 'boolean' }, 'kill-switch': { type: 'string' }, ...common }, `
Usage: ashare paper --config FILE [--bars FILE [--instruments FILE]] [--pace-ms N] [--kill-switch FILE] [--json] [--key-file FILE] [--allow-plaintext]

Paper trading through the same engine loop as backtests, wired as a live run: the system clock,
random event ids, a durable journal (synchronous=FULL, checked on open) that must be encrypted
unless --allow-plaintext, broker answers journaled the moment they arrive, and the simulated
broker. Until a vendor feed is configured (a later release), the feed is stored bars played one
trading day every --pace-ms milliseconds (default 0). The config's mode must be paper
(see config/paper.yaml).
  --kill-switch FILE  read before each trading day: a YAML file {to: HALTED|REDUCING|ACTIVE, by: NAME,
                      why: TEXT} changes the trading state (recorded as TradingStateChanged); a
                      malformed file halts trading`);
  if (!a) return EXIT.ok;
  if (typeof a.values.config !== 'string') throw new AppError('USAGE', 'paper needs --config FILE (see --help)', EXIT.usage);
  const pace = a.values['pace-ms'];
  if (pace !== undefined && (typeof pace !== 'string' || !/^\d+$/.test(pace))) throw new AppError('USAGE', '--pace-ms takes a whole number of milliseconds', EXIT.usage);
  const loaded = loadConfig(a.values.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  if (loaded.right.config.mode === 'live') throw new AppError('NO_LIVE_BROKER', 'mode live needs a real broker adapter, and this build has none; use mode paper', EXIT.badInput);
  if (loaded.right.config.mode !== 'paper') throw new AppError('CONFIG_INVALID', `${a.values.config}: mode is ${loaded.right.config.mode}, not paper`, EXIT.badInput);
  return execute(loaded.right, a.values, pace === undefined ? 0 : Number(pace));
}

/** The key a config names: a key file (relative to the config) or an environment variable holding a passphrase. */
function keyFromConfig(l: LoadedConfig): JournalKey | undefined {
  const j = l.config.journal;
  if (j.keyFile) return { kind: 'keyFile', path: resolve(l.baseDir, j.keyFile) };
  if (j.passphraseEnv) {
    const p = process.env[j.passphraseEnv];
    if (!p) throw new AppError('JOURNAL_KEY_REQUIRED', `journal.passphraseEnv names ${j.passphraseEnv}, which is not set`, EXIT.journal);
    return { kind: 'passphrase', passphrase: p };
  }
  return undefined;
}

export async function demoCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { symbols: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, ...common }, `
Usage: ashare demo [--json] [--symbols N] [--days D] [--seed S] [--journal PATH] [--key-file FILE]

Generates a synthetic A-share market (config/demo.yaml: 60 symbols × 500 days, seed 7), backtests the
SMA-crossover strategy on it, writes the journal under journal/ and a report beside it, and prints a
summary. Two runs give the same projection hash and the same journal head hash.`);
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

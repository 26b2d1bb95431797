import { dirname, join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { ensureFolder } from '../../../adapters/fs/index.js';
import { loadMarketRules } from '../../../adapters/market/marketRulesFile.js';
import { createSimClock, createSystemServiceClock, parseClockSpec, parseInstant } from '../../../adapters/clock/serviceClock.js';
import { loadConfig } from '../../config/index.js';
import { killSwitchFile, killSwitchFileProblem } from '../../engine/killSwitchFile.js';
import { AppError, EXIT, storageAppError } from '../../errors.js';
import { createServiceLog, describeStatus, runService, serviceStatus } from '../../service/index.js';
import { codeVersion, keyFrom, keyFromConfig, keyOptions, packageRoot, parse, printJson } from '../io.js';

const HELP = `
Usage: ashare run --config FILE [--journal PATH] [--key-file FILE] [--clock system|sim:ISO_START[:SPEED]]
                  [--until ISO] [--json-log] [--kill-switch FILE] [--allow-plaintext]
       ashare run status --journal PATH [--key-file FILE] [--json]

The trading-day service (config mode paper or live): pre-open data check, order release at the
open, broker polls through the sessions, close, reconciliation with the broker, and the after-close
step that takes the day's bars and decides the next day's orders — on the exchange calendar, in
Asia/Shanghai time (config schedule:). Started on an existing journal it verifies it, folds it back,
asks the broker about every order sent without an answer, reconciles, and goes on where it stopped.
SIGTERM/SIGINT finish the current step, journal ServiceStopped and exit 0.
  --journal PATH      the run's journal (default <journal.dir>/<name>.sqlite); resumed when it exists
  --clock C           system (default) or sim:2024-03-01T08:00:00+08:00[:SPEED] (the start with its seconds), SPEED max (jump from
                      step to step) or N times real time (default 1); the market source is read up to
                      the simulated instant, never later
  --until ISO         stop cleanly at this instant (simulated on a sim clock)
  --json-log          log lines as JSON objects
  --kill-switch FILE  read at each after-close step: {to: HALTED|REDUCING|ACTIVE, by, why}, or {} for
                      no request; it must exist at start-up, and a file that is missing,
                      unreadable or malformed later HALTS trading
  --key-file FILE     the journal's AES-256 key (or journal.keyFile / ASHARE_JOURNAL_KEY_FILE); the
                      paper broker's file is encrypted with it too
  --allow-plaintext   accept an unencrypted journal

Exit codes: 0 stopped cleanly, 2 usage, 3 bad config/broker or a missing kill switch file, 4 journal,
lock, key or storage problem (disk full, read-only, another process writing the journal).`;

const marketRules = () => {
  const r = loadMarketRules(join(packageRoot(), 'config', 'market'));
  if (isLeft(r)) throw new AppError('MARKET_RULES_INVALID', r.left.message, EXIT.internal);
  return r.right;
};

const runOptions = {
  config: { type: 'string' }, journal: { type: 'string' }, clock: { type: 'string' }, until: { type: 'string' }, 'json-log': { type: 'boolean' },
  'kill-switch': { type: 'string' }, 'allow-plaintext': { type: 'boolean' }, ...keyOptions,
} as const;

export async function runCommand(argv: string[], requiredMode?: 'paper'): Promise<number> {
  if (argv[0] === 'status') return statusCommand(argv.slice(1));
  const a = parse(argv, runOptions, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.config !== 'string') throw new AppError('USAGE', 'run needs --config FILE (see --help)', EXIT.usage);
  const spec = parseClockSpec(typeof v.clock === 'string' ? v.clock : 'system');
  if (typeof spec === 'string') throw new AppError('USAGE', spec, EXIT.usage);
  const until = typeof v.until === 'string' ? parseInstant(v.until) : null;
  if (typeof v.until === 'string' && until === null) throw new AppError('USAGE', `--until ${JSON.stringify(v.until)} is not an ISO 8601 date-time like 2024-03-08T16:00:00+08:00`, EXIT.usage);
  const killSwitch = typeof v['kill-switch'] === 'string' ? resolve(v['kill-switch']) : null;
  const ksProblem = killSwitch === null ? null : killSwitchFileProblem(killSwitch);
  if (ksProblem !== null) {
    throw new AppError('KILL_SWITCH_MISSING', `${ksProblem}: create it before starting (\`{}\` asks for nothing, \`{to: HALTED, by: NAME, why: REASON}\` halts); a run does not start without its kill switch`, EXIT.badInput);
  }
  const loaded = loadConfig(v.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  const l = loaded.right;
  if (l.config.mode === 'backtest') throw new AppError('CONFIG_INVALID', `${v.config}: mode is backtest; run it with ashare backtest (ashare run trades mode paper or live)`, EXIT.badInput);
  if (requiredMode && l.config.mode !== requiredMode) throw new AppError('CONFIG_INVALID', `${v.config}: mode is ${l.config.mode}; ashare paper runs mode paper only (use ashare run)`, EXIT.badInput);
  const key = keyFrom(v) ?? keyFromConfig(l);
  if (!key && v['allow-plaintext'] !== true) {
    throw new AppError('JOURNAL_KEY_REQUIRED', `a ${l.config.mode} journal must be encrypted: set journal.keyFile or journal.passphraseEnv, pass --key-file, or --allow-plaintext`, EXIT.journal);
  }
  process.umask(0o077); // journals, their -wal/-shm, heartbeat, commands, logs: the owner's alone
  const journalPath = resolve(typeof v.journal === 'string' ? v.journal : join(l.config.journal.dir, `${l.config.name}.sqlite`));
  const folder = ensureFolder(dirname(journalPath));
  if (isLeft(folder)) throw storageAppError(folder.left);
  const clock = spec.kind === 'system' ? createSystemServiceClock() : createSimClock(spec.startMs, spec.speed, `sim:${v.clock!.slice(4)}`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runService({
      loaded: l, marketRules: marketRules(), codeVersion: codeVersion(), journalPath, key, clock, until,
      log: createServiceLog(v['json-log'] === true, () => clock.now()), stop: stop.signal,
      startedAt: new Date().toISOString(), // allow-nondeterminism: wall time for the lock file only
      ...(killSwitch !== null ? { control: killSwitchFile(killSwitch) } : {}),
    });
    return EXIT.ok; // every way the service stops on its own is a clean stop
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

async function statusCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { journal: { type: 'string' }, json: { type: 'boolean' }, ...keyOptions }, `
Usage: ashare run status --journal PATH [--key-file FILE] [--json]

What a service journal says now, read without disturbing a running service: {running, pid, mode,
day, step, tradingState, cash, positions, workingOrders, lastSeq, headHash, lastReconciliation,
alerts}; cash in CNY, positions as {symbol, quantity, sellable, avgCost}.`);
  if (!a) return EXIT.ok;
  if (typeof a.values.journal !== 'string') throw new AppError('USAGE', 'run status needs --journal PATH', EXIT.usage);
  const s = await serviceStatus(a.values.journal, keyFrom(a.values));
  if (a.values.json) printJson(s);
  else process.stdout.write(describeStatus(s));
  return EXIT.ok;
}

/** `ashare paper`: `ashare run` for a config in mode paper. */
export const paperCommand = (argv: string[]): Promise<number> => runCommand(argv, 'paper');

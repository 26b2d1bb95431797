import { describeWriteFailure, errorCodeOf } from '../../adapters/fs/index.js';
import { AppError, EXIT, storageAppError } from '../errors.js';

const HELP = `Usage: ashare <command> [options]   (ashare <command> --help for each)

Commands:
  demo                      generate a synthetic market, backtest it, write journal and report
  backtest --config FILE    run a backtest from a YAML config
  run --config FILE         the trading-day service (paper or live): schedule, broker, crash-safe resume
  run status --journal F    what a service journal says now (running, positions, orders, alerts)
  paper --config FILE       ashare run for a config in mode paper
  dashboard --journal F     the monitoring dashboard (live updates, alerts, kill switch; password + TOTP sign-in)
  user add|remove|reset-totp|list NAME --users F   the dashboard's users (argon2id password + TOTP)
  airgap rules|check --config F   the air-gapped mode: nftables rules to apply, and a check of the guard
  sentiment score|train|eval      news/forum sentiment: LLM (OpenAI-compatible), lexicon or n-gram model, journaled
  simulate --bars F --orders F   the rules oracle: match JSONL orders against daily bars under the dated rules
  sweep --config F --grid …  parameter sweep on worker threads (one journal per point), ranked; --walk-forward;
                            --queue postgres://… spreads it over \`ashare worker\` processes on any machine
  worker --queue postgres://…   a distributed sweep's worker: takes grid points from the queue and runs them
  data import|validate|update|status|export   the local encrypted market store and its data pipeline
  market generate …         write a deterministic synthetic market as canonical bar CSV
  indicators --list | --bars F --name N   technical indicators (forward-adjusted by default)
  journal verify FILE|URL   check a journal's hash chain (a file, or postgres://…?journal=NAME); names the first bad seq
  journal inspect FILE|URL  summarise a journal, or list events by --day/--type
  journal export / verify-export   a self-verifying compliance slice of a date range, checked offline
  journal copy --from S --to D     copy a journal between SQLite and PostgreSQL, verified, resumable
  report --journal FILE|URL  rebuild the HTML report, metrics.json and trades.csv from a journal alone
  replay --journal FILE|URL …  audit replay: re-run a recorded day through the deciders and diff
  audit --journal FILE|URL  compliance audit: verify the chain, re-evaluate every risk decision, report

Exit codes: 0 ok, 1 check failed (verify/replay), 2 usage, 3 bad input, 4 journal, key or storage problem
(disk full, read-only, another process writing the journal).`;

type Command = (argv: string[]) => Promise<number>;

/**
 * A command's module is loaded when it runs, not at start: each command loads only what it uses
 * (`journal verify` no web server, LLM client or PostgreSQL driver), so every command starts
 * faster and a dependency loads only where it is needed.
 */
const lazy = <M>(load: () => Promise<M>, pick: (m: M) => Command): Command => async (argv) => pick(await load())(argv);

const COMMANDS: Record<string, Command> = {
  demo: lazy(() => import('./commands/backtest.js'), (m) => m.demoCommand),
  backtest: lazy(() => import('./commands/backtest.js'), (m) => m.backtestCommand),
  run: lazy(() => import('./commands/run.js'), (m) => m.runCommand),
  paper: lazy(() => import('./commands/run.js'), (m) => m.paperCommand),
  market: lazy(() => import('./commands/market.js'), (m) => m.marketCommand),
  journal: lazy(() => import('./commands/journal.js'), (m) => m.journalCommand),
  indicators: lazy(() => import('./commands/indicators.js'), (m) => m.indicatorsCommand),
  data: lazy(() => import('./commands/data.js'), (m) => m.dataCommand),
  replay: lazy(() => import('./commands/replay.js'), (m) => m.replayCommand),
  report: lazy(() => import('./commands/report.js'), (m) => m.reportCommand),
  simulate: lazy(() => import('./commands/simulate.js'), (m) => m.simulateCommand),
  sweep: lazy(() => import('./commands/sweep.js'), (m) => m.sweepCommand),
  worker: lazy(() => import('./commands/worker.js'), (m) => m.workerCommand),
  audit: lazy(() => import('./commands/audit.js'), (m) => m.auditCommand),
  dashboard: lazy(() => import('./commands/dashboard.js'), (m) => m.dashboardCommand),
  user: lazy(() => import('./commands/user.js'), (m) => m.userCommand),
  airgap: lazy(() => import('./commands/airgap.js'), (m) => m.airgapCommand),
  sentiment: lazy(() => import('./commands/sentiment.js'), (m) => m.sentimentCommand),
};

/** Runs the CLI; returns the exit code. Expected failures print one sentence on stderr, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  // Journals, stores, reports, keys and logs are the owner's alone, whatever the shell's umask: files 0600, folders 0700.
  process.umask(0o077);
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP + '\n');
    return cmd === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[cmd];
  try {
    if (!run) throw new AppError('USAGE', `unknown command ${JSON.stringify(cmd)} (see ashare --help)`, EXIT.usage);
    return await run(rest);
  } catch (e) {
    const known = e instanceof AppError ? e : storageFailure(e);
    if (known) {
      process.stderr.write(`ashare ${cmd}: ${known.message}\n`);
      return known.exitCode;
    }
    throw e;
  }
}

const MACHINE_STATES = new Set(['DISK_FULL', 'READ_ONLY', 'PERMISSION', 'NOT_A_FOLDER']);

/**
 * The machine's storage state escaping a command as an exception (a full disk, read-only media, a
 * folder that is a file): exit 4 with that sentence rather than an internal error; a folder that does
 * not exist is bad input (3). Anything else stays an internal error (70): it is a bug.
 */
function storageFailure(e: unknown): AppError | null {
  const code = errorCodeOf(e);
  if (code === undefined) return null;
  const { path, syscall } = e as { path?: unknown; syscall?: unknown };
  const at = typeof path === 'string' ? path : null;
  if (at === null && !/^(ENOSPC|EDQUOT|EROFS|SQLITE_FULL|SQLITE_READONLY)/.test(code)) return null;
  const f = describeWriteFailure(e, typeof syscall === 'string' ? syscall : 'write', at ?? 'a file', syscall === 'mkdir');
  if (f.kind === 'MISSING_FOLDER') return new AppError('PATH_NOT_FOUND', f.message, EXIT.badInput); // a path that leads nowhere: bad input
  return MACHINE_STATES.has(f.kind) ? storageAppError(f) : null;
}

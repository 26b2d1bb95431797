import { isLeft } from 'fp-ts/lib/Either.js';
import { writeReport } from '../../../adapters/report/htmlReport.js';
import { AppError, EXIT, storageAppError } from '../../errors.js';
import { isPostgresUrl, readJournalFile, shownJournal, storedAnchorOf } from '../../journalio/index.js';
import { buildReport } from '../../report/index.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';

const HELP = `
Usage: ashare report --journal FILE|postgres://… [--out DIR] [--key-file FILE] [--json]

Rebuilds a run's report from its journal alone (the same code a backtest uses to write it):
report.html (self-contained, opens offline), metrics.json, trades.csv (round trips and fills)
and equity.csv.
  --journal FILE   the run's journal (SQLite), or a postgres://…?journal=NAME URL (then --out is needed)
  --out DIR        where to write (default: beside the journal, FILE without .sqlite + .report/,
                   the directory the backtest itself wrote)
  --key-file FILE  the journal's key file when it is encrypted (or ASHARE_JOURNAL_KEY_FILE /
                   ASHARE_JOURNAL_PASSPHRASE)
  --json           print the paths and headline statistics as one JSON object`;

/** `<journal minus .sqlite>.report`, as `runBacktest` names it. */
export const defaultReportDir = (journal: string): string => journal.replace(/\.sqlite$/, '') + '.report';

export async function reportCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { journal: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, ...keyOptions }, HELP);
  if (!a) return EXIT.ok;
  const locator = a.values.journal ?? a.positionals[0];
  if (typeof locator !== 'string') throw new AppError('USAGE', 'report needs --journal FILE (see --help)', EXIT.usage);
  if (isPostgresUrl(locator) && a.values.out === undefined) throw new AppError('USAGE', 'report of a journal on PostgreSQL needs --out DIR', EXIT.usage);
  const journal = shownJournal(locator);
  const events = await readJournalFile(locator, keyFrom(a.values));
  if (isLeft(events)) throw new AppError(events.left.code, events.left.message, EXIT.journal);
  if (!events.right.some((e) => e.type === 'DayClosed')) {
    throw new AppError('REPORT_EMPTY', `the journal ${journal} has no closed trading day to report on`, EXIT.badInput);
  }
  const { input: built } = buildReport(events.right, { journalPath: journal });
  const input = { ...built, anchoredSeq: storedAnchorOf(locator)?.seq ?? null };
  const dir = a.values.out ?? defaultReportDir(journal);
  const written = writeReport(dir, input);
  if (isLeft(written)) throw storageAppError(written.left, 'the report was not written: ');
  const html = written.right;
  const s = input.performance.summary, b = input.performance.benchmark, t = input.performance.trades;
  const out = {
    journal, report: html, dir, projectionHash: input.projectionHash, headHash: input.headHash, days: input.days,
    metrics: {
      totalReturn: s.totalReturn, cagr: s.cagr, annualVolatility: s.annualVolatility, sharpe: s.sharpe, sortino: s.sortino,
      maxDrawdown: s.maxDrawdown, calmar: s.calmar, benchmarkReturn: b.totalReturn, alpha: b.alpha, beta: b.beta,
      informationRatio: b.informationRatio, roundTrips: t.roundTrips, winRate: t.winRate, profitFactor: t.profitFactor,
    },
  };
  if (a.values.json) printJson(out);
  else {
    const p = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);
    process.stdout.write(`Report ${html}\n  total return ${p(s.totalReturn)} (benchmark ${p(b.totalReturn)}), Sharpe ${s.sharpe.toFixed(2)}, `
      + `max drawdown ${p(s.maxDrawdown)}, ${t.roundTrips} round trips, win rate ${p(t.winRate)}\n`);
  }
  return EXIT.ok;
}

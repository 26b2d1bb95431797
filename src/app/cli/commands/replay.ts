import { isLeft } from 'fp-ts/lib/Either.js';
import { parseTradingDay } from '../../../domain/index.js';
import { rulesFromConfig, validateConfig } from '../../config/index.js';
import { replayJournal } from '../../engine/replay.js';
import { AppError, EXIT } from '../../errors.js';
import { readJournalFile, shownJournal } from '../../journalio/index.js';
import { keyFrom, keyOptions, packageRoot, parse, printJson } from '../io.js';
import { join } from 'node:path';
import { loadMarketRules } from '../../../adapters/market/index.js';

const HELP = `
Usage: ashare replay --journal FILE|postgres://… (--day YYYY-MM-DD | --all) [--json] [--key-file FILE]

Audit replay: rebuilds the state from the journal up to the day, re-runs that day's recorded inputs
(bars, broker answers) through the same deciders with the config recorded in the journal, and
compares what they decide with what was recorded. Prints {day, events, diffs, projectionHash};
exits 1 when anything differs. --all replays every day.`;

export async function replayCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { journal: { type: 'string' }, day: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' }, ...keyOptions }, HELP);
  if (!a) return EXIT.ok;
  const locator = a.values.journal;
  if (typeof locator !== 'string') throw new AppError('USAGE', 'replay needs --journal FILE (see --help)', EXIT.usage);
  const file = shownJournal(locator);
  const day = typeof a.values.day === 'string' ? parseTradingDay(a.values.day) : undefined;
  if (!a.values.all && !day) throw new AppError('USAGE', 'replay needs --day YYYY-MM-DD (a valid date) or --all', EXIT.usage);
  const r = await readJournalFile(locator, keyFrom(a.values));
  if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.journal);
  const events = r.right;
  // The dated tables answer for any past day, so today's tables judge yesterday's decisions.
  const mr = loadMarketRules(join(packageRoot(), 'config', 'market'));
  if (isLeft(mr)) throw new AppError('MARKET_RULES_INVALID', mr.left.message, EXIT.internal);
  const rules = mr.right;
  if (day && !events.some((e) => e.day === day && e.type === 'BarsClosed')) {
    throw new AppError('REPLAY_NO_SUCH_DAY', `${file} has no trading day ${day}`, EXIT.badInput);
  }
  const results = await replayJournal(events, (run) => {
    if (run.config['risk'] === undefined) {
      throw new AppError('REPLAY_OLD_JOURNAL', `${file} was written before the risk gate (issue 6): its RunStarted config records no risk limits, so this release cannot re-decide its days; replay it with the release that wrote it`, EXIT.badInput);
    }
    const c = validateConfig(run.config, `${file} (RunStarted config)`, '.');
    if (isLeft(c)) throw new AppError(c.left.code, c.left.problems.join('\n'), EXIT.badInput);
    return rulesFromConfig(c.right.config, rules);
  }, day ? new Set([day]) : null);
  const bad = results.filter((x) => x.diffs > 0);
  if (a.values.json) {
    printJson(day ? results[0] : { days: results.length, daysWithDiffs: bad.length, diffs: bad.reduce((s, x) => s + x.diffs, 0), results: results.map(({ details, ...x }) => (x.diffs ? { ...x, details } : x)) });
  } else {
    for (const x of day ? results : bad) {
      process.stdout.write(`${x.day}: ${x.events} events, ${x.diffs} diffs, projection hash ${x.projectionHash}\n`);
      for (const d of x.details.slice(0, 20)) {
        process.stdout.write(`  at #${d.index} (seq ${d.seq ?? '–'}): recorded ${d.recorded?.type ?? 'nothing'}, replayed ${d.replayed?.type ?? 'nothing'}\n`);
      }
    }
    if (!day) process.stdout.write(`${results.length} days replayed, ${bad.length} with differences\n`);
  }
  return bad.length ? EXIT.checkFailed : EXIT.ok;
}

import { isLeft } from 'fp-ts/lib/Either.js';
import { asTradingDay, parseTradingDay } from '../../../domain/index.js';
import { AppError, EXIT } from '../../errors.js';
import { readJournalFile, shownJournal } from '../../journalio/index.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';

const INSPECT_HELP = `
Usage: ashare journal inspect FILE|postgres://… [--day YYYY-MM-DD] [--type EventType] [--json] [--key-file FILE]

Summarises a journal: event count, seq range, trading days and counts by event type. With --day
and/or --type it lists the matching events (--json: their full envelopes and data).`;

/** `ashare journal inspect`. */
export async function inspect(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: 'boolean' }, day: { type: 'string' }, type: { type: 'string' }, ...keyOptions }, INSPECT_HELP);
  if (!a) return EXIT.ok;
  const locator = a.positionals[0];
  if (!locator) throw new AppError('USAGE', 'journal inspect needs a journal FILE (see --help)', EXIT.usage);
  const file = shownJournal(locator);
  const day = a.values.day === undefined ? undefined : parseTradingDay(a.values.day);
  if (a.values.day !== undefined && !day) throw new AppError('USAGE', `--day must be a date YYYY-MM-DD, got ${JSON.stringify(a.values.day)}`, EXIT.usage);
  const r = await readJournalFile(locator, keyFrom(a.values));
  if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.journal);
  const all = r.right;
  const types: Record<string, number> = {};
  const days = new Set<string>();
  for (const e of all) { types[e.type] = (types[e.type] ?? 0) + 1; days.add(e.day); }
  const filtered = day || a.values.type ? all.filter((e) => (!day || e.day === asTradingDay(day)) && (!a.values.type || e.type === a.values.type)) : null;
  const summary = { file, events: all.length, firstSeq: all[0]?.seq ?? null, lastSeq: all[all.length - 1]?.seq ?? null, days: [...days].sort(), types };
  if (a.values.json) {
    printJson(filtered ? { ...summary, matched: filtered.length, selected: filtered } : summary);
    return EXIT.ok;
  }
  process.stdout.write(`${file}: ${summary.events} events, seq ${summary.firstSeq}…${summary.lastSeq}, ${summary.days.length} trading days (${summary.days[0] ?? '–'} … ${summary.days[summary.days.length - 1] ?? '–'})\n`);
  for (const [t, n] of Object.entries(types).sort()) process.stdout.write(`  ${t.padEnd(16)} ${n}\n`);
  if (filtered) {
    process.stdout.write(`${filtered.length} matching events:\n`);
    for (const e of filtered) {
      const d = JSON.stringify(e.data);
      process.stdout.write(`  #${e.seq} ${e.day} ${e.type} ${d.length > 160 ? d.slice(0, 157) + '...' : d}\n`);
    }
  }
  return EXIT.ok;
}

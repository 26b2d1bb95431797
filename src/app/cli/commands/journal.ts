import { isLeft } from 'fp-ts/lib/Either.js';
import { asTradingDay, parseTradingDay } from '../../../domain/index.js';
import { AppError, EXIT } from '../../errors.js';
import { readJournalFile, shownJournal, verifyJournalAt } from '../../journalio/index.js';
import { journalCopyCommand } from './journalCopy.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';
import { journalExportCommand, journalVerifyExportCommand } from './compliance.js';

const VERIFY_HELP = `
Usage: ashare journal verify FILE|postgres://… [--no-anchor] [--json] [--key-file FILE]

Walks the hash chain of a journal: every event's SHA-256 over its canonical JSON and its
predecessor's hash, consecutive seqs, and the storage itself — and that the chain reaches the head
anchored beside it (FILE.anchor, MACed with a key derived from the journal key when it is
encrypted): a journal shorter than its anchor has lost its tail. Exits 0 when intact; otherwise
exits 1 naming the first bad (or missing) seq and why; a missing or forged anchor is a failure too.
  --no-anchor   verify a journal whose anchor was lost for a known reason: the chain only, with a
                warning that a cut tail would go unnoticed
An encrypted journal that will not open with the key is told apart by its anchor: if the key verifies
the anchor's MAC, the file is damaged (exit 1); if not, the key is wrong (exit 4); with no anchor,
one sentence says either.
A postgres://user:password@host:port/db?journal=NAME URL checks a journal kept on PostgreSQL (its
payloads unsealed with the key when it is encrypted; PostgreSQL journals are not anchored yet).`;

const INSPECT_HELP = `
Usage: ashare journal inspect FILE|postgres://… [--day YYYY-MM-DD] [--type EventType] [--json] [--key-file FILE]

Summarises a journal: event count, seq range, trading days and counts by event type. With --day
and/or --type it lists the matching events (--json: their full envelopes and data).`;

export async function journalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verify(rest);
  if (sub === 'inspect') return inspect(rest);
  if (sub === 'export') return journalExportCommand(rest);
  if (sub === 'verify-export') return journalVerifyExportCommand(rest);
  if (sub === 'copy') return journalCopyCommand(rest);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(`Usage: ashare journal verify|inspect|export|verify-export|copy …  (ashare journal verify --help)\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  throw new AppError('USAGE', `unknown journal command ${JSON.stringify(sub)}; use verify, inspect, export, verify-export or copy`, EXIT.usage);
}

async function verify(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: 'boolean' }, 'no-anchor': { type: 'boolean' }, ...keyOptions }, VERIFY_HELP);
  if (!a) return EXIT.ok;
  const locator = a.positionals[0];
  if (!locator) throw new AppError('USAGE', 'journal verify needs a journal FILE (see --help)', EXIT.usage);
  const file = shownJournal(locator);
  const r = await verifyJournalAt(locator, keyFrom(a.values), { anchor: a.values['no-anchor'] !== true });
  if (a.values.json) printJson({ file, ...r });
  if (r.ok) {
    if (r.warning) process.stderr.write(`warning: ${r.warning}\n`);
    const anchored = r.anchor ? `; anchored head seq ${r.anchor.seq}${r.anchor.seq < r.headSeq ? ` (${r.headSeq - r.anchor.seq} event(s) appended after the anchor's last update: a crash between commit and anchor)` : ''}` : '';
    if (!a.values.json) process.stdout.write(`${file}: OK, ${r.events} events, chain intact up to seq ${r.headSeq} (head ${r.headHash})${anchored}\n`);
    return EXIT.ok;
  }
  if (['JOURNAL_KEY_INVALID', 'JOURNAL_KEY_REQUIRED', 'JOURNAL_NOT_FOUND', 'JOURNAL_UNAVAILABLE'].includes(r.code)) {
    throw new AppError(r.code, r.reason, EXIT.journal);
  }
  if (!a.values.json) process.stderr.write(`${file}: FAILED${r.seq !== null ? ` at seq ${r.seq}` : ''}: ${r.reason}\n`);
  return EXIT.checkFailed;
}

async function inspect(argv: string[]): Promise<number> {
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

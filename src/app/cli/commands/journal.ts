import { isLeft } from 'fp-ts/lib/Either.js';
import { asTradingDay, parseTradingDay } from '../../../domain/index.js';
import { verifyJournalFile } from '../../../adapters/journal/index.js';
import { AppError, EXIT } from '../../errors.js';
import { readJournalFile } from '../../journalio/index.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';
import { journalExportCommand, journalVerifyExportCommand } from './compliance.js';

const VERIFY_HELP = `
Usage: ashare journal verify FILE [--json] [--key-file FILE]

Walks the hash chain of a journal: every event's SHA-256 over its canonical JSON and its
predecessor's hash, consecutive seqs, and the storage itself. Exits 0 when intact; otherwise exits 1
naming the first bad seq and why.`;

const INSPECT_HELP = `
Usage: ashare journal inspect FILE [--day YYYY-MM-DD] [--type EventType] [--json] [--key-file FILE]

Summarises a journal: event count, seq range, trading days and counts by event type. With --day
and/or --type it lists the matching events (--json: their full envelopes and data).`;

export async function journalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verify(rest);
  if (sub === 'inspect') return inspect(rest);
  if (sub === 'export') return journalExportCommand(rest);
  if (sub === 'verify-export') return journalVerifyExportCommand(rest);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(`Usage: ashare journal verify|inspect|export|verify-export …  (ashare journal verify --help)\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  throw new AppError('USAGE', `unknown journal command ${JSON.stringify(sub)}; use verify, inspect, export or verify-export`, EXIT.usage);
}

async function verify(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: 'boolean' }, ...keyOptions }, VERIFY_HELP);
  if (!a) return EXIT.ok;
  const file = a.positionals[0];
  if (!file) throw new AppError('USAGE', 'journal verify needs a journal FILE (see --help)', EXIT.usage);
  const r = await verifyJournalFile(file, keyFrom(a.values));
  if (a.values.json) printJson({ file, ...r });
  if (r.ok) {
    if (!a.values.json) process.stdout.write(`${file}: OK, ${r.events} events, chain intact up to seq ${r.headSeq} (head ${r.headHash})\n`);
    return EXIT.ok;
  }
  if (['JOURNAL_KEY_INVALID', 'JOURNAL_KEY_REQUIRED', 'JOURNAL_NOT_FOUND'].includes(r.code)) {
    throw new AppError(r.code, r.reason, EXIT.journal);
  }
  if (!a.values.json) process.stderr.write(`${file}: FAILED${r.seq !== null ? ` at seq ${r.seq}` : ''}: ${r.reason}\n`);
  return EXIT.checkFailed;
}

async function inspect(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: 'boolean' }, day: { type: 'string' }, type: { type: 'string' }, ...keyOptions }, INSPECT_HELP);
  if (!a) return EXIT.ok;
  const file = a.positionals[0];
  if (!file) throw new AppError('USAGE', 'journal inspect needs a journal FILE (see --help)', EXIT.usage);
  const day = a.values.day === undefined ? undefined : parseTradingDay(a.values.day);
  if (a.values.day !== undefined && !day) throw new AppError('USAGE', `--day must be a date YYYY-MM-DD, got ${JSON.stringify(a.values.day)}`, EXIT.usage);
  const r = await readJournalFile(file, keyFrom(a.values));
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

import { parseTradingDay } from '../../../domain/index.js';
import { exportJournalSlice, verifyExportFile } from '../../compliance/index.js';
import { AppError, EXIT } from '../../errors.js';
import { shownJournal } from '../../journalio/index.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';

const EXPORT_HELP = `
Usage: ashare journal export --journal FILE|postgres://… --from YYYY-MM-DD --to YYYY-MM-DD --out FILE [--key-file FILE] [--json]

Exports the events of trading days FROM..TO as one canonical-JSON file for a compliance record:
the events with their hashes, the anchors that tie them to the rest of the chain (the event before,
the event after, the journal head), the run configuration and the risk rule versions in force.
Prints the file's SHA-256 digest to record. Verify it later with \`ashare journal verify-export\`.`;

const VERIFY_HELP = `
Usage: ashare journal verify-export FILE [--json]

Verifies an exported journal slice offline (no journal or key needed): every event's hash, consecutive
seqs, the chain from the anchor before to the anchor after. Exits 0 when intact; otherwise exits 1
naming the first bad seq and why.`;

const dayArg = (name: string, v: string | boolean | undefined) => {
  if (typeof v !== 'string') throw new AppError('USAGE', `journal export needs --${name} YYYY-MM-DD (see --help)`, EXIT.usage);
  const d = parseTradingDay(v);
  if (!d) throw new AppError('USAGE', `--${name} must be a date YYYY-MM-DD, got ${JSON.stringify(v)}`, EXIT.usage);
  return d;
};

/** `ashare journal export`: writes a verifiable slice of a journal for a date range. */
export async function journalExportCommand(argv: string[]): Promise<number> {
  const a = parse(argv, {
    json: { type: 'boolean' }, journal: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, ...keyOptions,
  }, EXPORT_HELP);
  if (!a) return EXIT.ok;
  const journal = a.values.journal;
  const out = a.values.out;
  if (typeof journal !== 'string') throw new AppError('USAGE', 'journal export needs --journal FILE (see --help)', EXIT.usage);
  if (typeof out !== 'string') throw new AppError('USAGE', 'journal export needs --out FILE (see --help)', EXIT.usage);
  if (a.positionals.length > 0) throw new AppError('USAGE', `unexpected argument ${JSON.stringify(a.positionals[0])} (see --help)`, EXIT.usage);
  const from = dayArg('from', a.values.from);
  const to = dayArg('to', a.values.to);
  const r = await exportJournalSlice(journal, keyFrom(a.values), from, to, out);
  if (a.values.json) printJson({ journal: shownJournal(journal), ...r });
  else {
    const range = r.firstSeq === null ? 'no events' : `seq ${r.firstSeq}…${r.lastSeq}`;
    process.stdout.write(`${out}: ${r.events} events (${range}) from ${shownJournal(journal)}, ${from} to ${to}; digest ${r.digest}\n`);
  }
  return EXIT.ok;
}

/** `ashare journal verify-export`: checks an exported slice offline. */
export async function journalVerifyExportCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: 'boolean' } }, VERIFY_HELP);
  if (!a) return EXIT.ok;
  const file = a.positionals[0];
  if (!file) throw new AppError('USAGE', 'journal verify-export needs a slice FILE (see --help)', EXIT.usage);
  const r = verifyExportFile(file);
  if (a.values.json) printJson(r);
  if (r.ok) {
    if (!a.values.json) process.stdout.write(`${file}: OK, ${r.events} events, chain intact; digest ${r.digest}\n`);
    return EXIT.ok;
  }
  if (!a.values.json) process.stderr.write(`${file}: FAILED${r.seq !== null ? ` at seq ${r.seq}` : ''}: ${r.reason}\n`);
  return EXIT.checkFailed;
}

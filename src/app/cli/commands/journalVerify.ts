import { AppError, EXIT } from '../../errors.js';
import { shownJournal, verifyJournalAt } from '../../journalio/journalLocator.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';

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

/** `ashare journal verify`. */
export async function verify(argv: string[]): Promise<number> {
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

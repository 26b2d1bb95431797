import type { JournalKey } from '../../../adapters/journal/index.js';
import { AppError, EXIT } from '../../errors.js';
import { copyJournal } from '../../journalio/copyJournal.js';
import { keyFrom, parse, printJson, progressBar } from '../io.js';

const HELP = `
Usage: ashare journal copy --from SRC --to DST [--from-key-file F] [--to-key-file F] [--batch N] [--json]

Copies a journal between backends: SRC and DST are each a journal file (SQLite) or a
postgres://user:password@host:port/db?journal=NAME URL. The source's hash chain is verified first,
every event keeps its seq and hash (each batch is checked against the source's), and the copy is
verified at the end. Resumable: run it again after an interruption and it continues from where the
destination stops. Keys: --from-key-file / --to-key-file, else ASHARE_JOURNAL_KEY_FILE or
ASHARE_JOURNAL_PASSPHRASE for both; --to-key-file none writes an unencrypted copy.`;

function keyOf(v: string | boolean | undefined): JournalKey | undefined {
  if (v === 'none') return undefined;
  return keyFrom({ 'key-file': v as string | undefined });
}

/** `ashare journal copy`: SQLite ⇄ PostgreSQL, chain verified on both sides, resumable. */
export async function journalCopyCommand(argv: string[]): Promise<number> {
  const a = parse(argv, {
    from: { type: 'string' }, to: { type: 'string' }, 'from-key-file': { type: 'string' }, 'to-key-file': { type: 'string' },
    batch: { type: 'string' }, json: { type: 'boolean' },
  }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.from !== 'string' || typeof v.to !== 'string') throw new AppError('USAGE', 'journal copy needs --from SRC and --to DST (see --help)', EXIT.usage);
  if (a.positionals.length > 0) throw new AppError('USAGE', `unexpected argument ${JSON.stringify(a.positionals[0])} (see --help)`, EXIT.usage);
  const batch = v.batch === undefined ? 500 : Number(v.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) throw new AppError('USAGE', '--batch takes a whole number from 1 to 100000', EXIT.usage);
  const bar = progressBar('copy');
  const r = await copyJournal(v.from, v.to, {
    fromKey: keyOf(v['from-key-file']), toKey: keyOf(v['to-key-file']), batch,
    onProgress: (done, total) => bar.update(done - 1, total, `${done}/${total}`),
  });
  bar.done();
  if (v.json) printJson(r);
  else process.stdout.write(`${r.to}: copied ${r.copied} events from ${r.from}${r.alreadyThere ? ` (continuing after ${r.alreadyThere} already there)` : ''}; chain verified on both sides up to seq ${r.headSeq} (head ${r.headHash})\n`);
  return EXIT.ok;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { StoredEvent, TradingDay } from '../../domain/index.js';
import { canonicalJson } from '../../domain/index.js';
import { makeSlice, sliceDigest, verifySlice, type JournalSlice, type SliceVerdict } from '../../domain/compliance/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { AppError, EXIT } from '../errors.js';
import { openJournalAt, shownJournal, storedAnchorOf } from '../journalio/journalLocator.js';

export interface ExportSummary {
  readonly out: string;
  readonly from: string;
  readonly to: string;
  readonly events: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly anchorBefore: JournalSlice['anchorBefore'];
  readonly anchorAfter: JournalSlice['anchorAfter'];
  readonly head: JournalSlice['head'];
  readonly ruleVersions: readonly string[];
  /** SHA-256 of the file's canonical JSON (the file's exact bytes), for the officer's record. */
  readonly digest: string;
}

export type ExportVerdict = SliceVerdict & { readonly file: string; readonly digest: string | null };

/**
 * Reads every stored event as stored (not through `readJournalFile`'s decoder: an upcast would
 * change `data`, and the slice must carry the bytes the hashes cover).
 */
async function readStored(path: string, key: JournalKey | undefined): Promise<StoredEvent[]> {
  const opened = await openJournalAt(path, { durability: 'fast', key, readonly: true });
  if (isLeft(opened)) throw new AppError(opened.left.code, opened.left.message, EXIT.journal);
  const j = opened.right;
  const out: StoredEvent[] = [];
  try {
    for await (const e of j.read()) out.push(e);
  } catch (err) {
    throw new AppError('JOURNAL_CORRUPT', `cannot read ${shownJournal(path)}: ${(err as Error).message}`, EXIT.journal);
  } finally {
    await j.close();
  }
  return out;
}

/**
 * Exports trading days [from, to] of a journal as one canonical-JSON file that can be verified
 * offline. The slice is verified before it is written, so a damaged journal is never exported as
 * if it were sound.
 */
export async function exportJournalSlice(
  path: string, key: JournalKey | undefined, from: TradingDay, to: TradingDay, out: string,
): Promise<ExportSummary> {
  if (from > to) throw new AppError('USAGE', `--from ${from} is after --to ${to}`, EXIT.usage);
  const events = await readStored(path, key);
  // A journal file's head anchor goes with the slice (a PostgreSQL journal has none yet).
  const headAnchor = storedAnchorOf(path);
  const slice = makeSlice(events, from, to, { journalPath: shownJournal(path), ...(headAnchor !== undefined ? { headAnchor } : {}) });
  const v = verifySlice(slice);
  if (!v.ok) throw new AppError('JOURNAL_HASH_MISMATCH', `the journal ${shownJournal(path)} fails its own check${v.seq !== null ? ` at seq ${v.seq}` : ''}: ${v.reason}`, EXIT.journal);
  writeFileSync(out, canonicalJson(slice));
  const evs = slice.events;
  return {
    out, from, to, events: evs.length, firstSeq: evs[0]?.seq ?? null, lastSeq: evs[evs.length - 1]?.seq ?? null,
    anchorBefore: slice.anchorBefore, anchorAfter: slice.anchorAfter, head: slice.head,
    ruleVersions: slice.ruleVersions, digest: sliceDigest(slice),
  };
}

/** Verifies an exported slice file on its own (no journal, no key). A file that is not JSON fails with seq null. */
export function verifyExportFile(path: string): ExportVerdict {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('EXPORT_NOT_FOUND', `cannot read ${shownJournal(path)}: ${(err as Error).message}`, EXIT.badInput);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, seq: null, reason: 'the file is not valid JSON', file: path, digest: null };
  }
  const v = verifySlice(parsed);
  return { ...v, file: path, digest: v.ok ? sliceDigest(parsed as JournalSlice) : null };
}

import { mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type {
  BrokerError, BrokerErrorCode, BrokerMessageProblem, BrokerOrder, BrokerPort, BrokerPosition, OrderReport,
} from '../../domain/ports/broker.js';
import {
  ACCOUNT_HEADER, CANCEL_HEADER, ORDER_HEADER, POSITIONS_HEADER, formatExchangeTime, formatPriceCny, isClientOrderId, isSymbol,
  parseAccountFields, parsePositionFields, splitCsvRecord,
} from './fileBridgeCsv.js';
import { type AnswerVisitor, formatCursor, parseCursor, readAnswers } from './fileBridgeAnswers.js';

export interface FileBridgeOptions {
  /** The directory shared with the terminal: `out/` (our orders), `in/` (its answers), `positions.csv`, `account.csv`. */
  readonly dir: string;
  /** Recorded on every `OrderSubmitted`; default `file-bridge`. */
  readonly name?: string;
}

const fail = (code: BrokerErrorCode, message: string): Either<BrokerError, never> => left({ code, message });
const errCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);
const isMissing = (e: unknown): boolean => errCode(e) === 'ENOENT';

/**
 * The file-order bridge (文件单) to a broker's scanning terminal. Orders and cancels go out as one
 * small CSV each under `out/`, written to a dot-named temporary file and renamed, so the terminal
 * never sees half an order; answers are read from the terminal's `in/*.csv` by byte offset (the
 * cursor), complete lines only. Opening checks that the directory is there and `out/` takes files.
 */
export function openFileBridge(opts: FileBridgeOptions): Either<BrokerError, BrokerPort> {
  const { dir } = opts;
  const outDir = join(dir, 'out'), inDir = join(dir, 'in');
  try {
    if (!statSync(dir).isDirectory()) return fail('BROKER_UNAVAILABLE', `broker directory ${dir} is not a directory`);
  } catch (e) {
    return fail('BROKER_UNAVAILABLE', isMissing(e) ? `broker directory ${dir} does not exist` : `broker directory ${dir} cannot be read (${errCode(e)})`);
  }
  for (const sub of [outDir, inDir]) {
    try { mkdirSync(sub); } catch (e) {
      if (errCode(e) !== 'EEXIST') return fail('BROKER_UNAVAILABLE', `broker directory ${sub} cannot be created (${errCode(e)})`);
    }
  }
  // A terminal never looks at dot-files, so the probe cannot be mistaken for an order.
  const probe = join(outDir, `.probe-${process.pid}`);
  try { writeFileSync(probe, ''); unlinkSync(probe); } catch (e) {
    return fail('BROKER_UNAVAILABLE', `order directory ${outDir} is not writable (${errCode(e)})`);
  }
  try {
    if (!statSync(inDir).isDirectory()) return fail('BROKER_UNAVAILABLE', `answer directory ${inDir} is not a directory`);
  } catch (e) {
    return fail('BROKER_UNAVAILABLE', `answer directory ${inDir} cannot be read (${errCode(e)})`);
  }

  const ioFail = (what: string, e: unknown): Either<BrokerError, never> => fail('BROKER_IO', `${what} failed (${errCode(e)})`);
  const exists = async (path: string): Promise<boolean> => {
    try { await stat(path); return true; } catch (e) { if (isMissing(e)) return false; throw e; }
  };

  /** Every answer line from the start of every in-file; malformed lines are left to `poll` to report. */
  async function latestReports(): Promise<Map<string, OrderReport>> {
    const latest = new Map<string, OrderReport>();
    await readAnswers(inDir, new Map(), { report: (r) => { latest.set(r.clientOrderId, r); }, problem: () => undefined });
    return latest;
  }

  /** Whether any line of any in-file names the id, even a line we could not otherwise read. */
  async function isNamedInAnswers(id: string): Promise<boolean> {
    let named = false;
    const visitor: AnswerVisitor = { report: () => undefined, problem: () => undefined, line: (text) => {
      const f = splitCsvRecord(text);
      if (!isLeft(f) && f.right[0] === id) named = true;
    } };
    await readAnswers(inDir, new Map(), visitor);
    return named;
  }

  async function writeAtomically(fileName: string, text: string): Promise<Either<BrokerError, void>> {
    const tmp = join(outDir, `.${fileName}.tmp`);
    try {
      const fh = await open(tmp, 'w');
      try { await fh.writeFile(text); await fh.sync(); } finally { await fh.close(); }
      await rename(tmp, join(outDir, fileName));
      // The rename is only durable once the directory entry is on disk.
      const d = await open(outDir, 'r');
      try { await d.sync(); } finally { await d.close(); }
      return right(undefined);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      return ioFail(`writing ${join(outDir, fileName)}`, e);
    }
  }

  function checkOrder(o: BrokerOrder): string | null {
    if (!isClientOrderId(o.clientOrderId)) return `clientOrderId "${o.clientOrderId}" is not 1-32 letters, digits or hyphens`;
    if (!isSymbol(o.symbol)) return `order ${o.clientOrderId}: symbol "${o.symbol}" is not six digits with .SH, .SZ or .BJ`;
    if (o.side !== 'buy' && o.side !== 'sell') return `order ${o.clientOrderId}: side "${String(o.side)}" is neither buy nor sell`;
    if (!Number.isSafeInteger(o.qty) || o.qty <= 0) return `order ${o.clientOrderId}: quantity ${o.qty} is not a positive whole number`;
    if (o.priceType === 'limit' ? !Number.isSafeInteger(o.limitPriceMilli) || o.limitPriceMilli! <= 0 : o.limitPriceMilli !== null) {
      return `order ${o.clientOrderId}: a ${o.priceType} order has limit price ${o.limitPriceMilli}`;
    }
    if (!Number.isSafeInteger(o.createdAt)) return `order ${o.clientOrderId}: createdAt ${o.createdAt} is not epoch milliseconds`;
    return null;
  }

  let closed = false;
  const closedError = (): Either<BrokerError, never> => fail('BROKER_UNAVAILABLE', `file bridge on ${dir} is closed`);
  const badId = (id: string): Either<BrokerError, never> => fail('BROKER_REFUSED', `clientOrderId "${id}" is not 1-32 letters, digits or hyphens`);

  const port: BrokerPort = {
    name: opts.name ?? 'file-bridge',
    external: true,

    async submit(o) {
      if (closed) return closedError();
      const bad = checkOrder(o);
      if (bad !== null) return fail('BROKER_REFUSED', bad);
      const fileName = `${o.clientOrderId}.order.csv`;
      try {
        if (await exists(join(outDir, fileName)) || await isNamedInAnswers(o.clientOrderId)) {
          return fail('BROKER_DUPLICATE_ORDER', `order ${o.clientOrderId} was already handed to the terminal in ${dir}`);
        }
      } catch (e) { return ioFail(`checking ${dir} for order ${o.clientOrderId}`, e); }
      // The file has no time-in-force column: the terminal works every order as a day order.
      const limit = o.priceType === 'limit' ? formatPriceCny(o.limitPriceMilli!) : '';
      const row = [o.clientOrderId, o.symbol, o.side, String(o.qty), o.priceType, limit, formatExchangeTime(o.createdAt)].join(',');
      return writeAtomically(fileName, `${ORDER_HEADER}\n${row}\n`);
    },

    async cancel(id, at) {
      if (closed) return closedError();
      if (!isClientOrderId(id)) return badId(id);
      if (!Number.isSafeInteger(at)) return fail('BROKER_REFUSED', `cancel of ${id}: time ${at} is not epoch milliseconds`);
      const fileName = `${id}.cancel.csv`;
      try {
        // A repeated cancel is the same request: the first file stands (the terminal may have acted on it already).
        if (await exists(join(outDir, fileName))) return right(undefined);
        if (!(await exists(join(outDir, `${id}.order.csv`))) && !(await isNamedInAnswers(id))) {
          return fail('BROKER_REFUSED', `order ${id} was never handed to the terminal in ${dir}, so it cannot be cancelled`);
        }
      } catch (e) { return ioFail(`checking ${dir} for order ${id}`, e); }
      return writeAtomically(fileName, `${CANCEL_HEADER}\n${id},${formatExchangeTime(at)}\n`);
    },

    async poll(cursor) {
      if (closed) return closedError();
      const marks = parseCursor(cursor);
      if (isLeft(marks)) return fail('BROKER_REFUSED', marks.left);
      const reports: OrderReport[] = [];
      const problems: BrokerMessageProblem[] = [];
      try {
        await readAnswers(inDir, marks.right, { report: (r) => { reports.push(r); }, problem: (p) => { problems.push(p); } });
      } catch (e) { return ioFail(`reading answers in ${inDir}`, e); }
      return right({ reports, problems, cursor: formatCursor(marks.right) });
    },

    async queryOrder(id) {
      if (closed) return closedError();
      if (!isClientOrderId(id)) return badId(id);
      try {
        const report = (await latestReports()).get(id);
        if (report) return right({ state: 'reported', report });
        return right(await exists(join(outDir, `${id}.order.csv`)) ? { state: 'pending' } : { state: 'unknown' });
      } catch (e) { return ioFail(`reading answers in ${inDir} for order ${id}`, e); }
    },

    async queryOrders() {
      if (closed) return closedError();
      try { return right([...(await latestReports()).values()]); } catch (e) { return ioFail(`reading answers in ${inDir}`, e); }
    },

    async queryPositions() {
      if (closed) return closedError();
      const rows = await readTable(dir, 'positions.csv', POSITIONS_HEADER);
      if (isLeft(rows)) return rows;
      const out: BrokerPosition[] = [];
      for (const { line, f } of rows.right) {
        const p = parsePositionFields(f);
        if (isLeft(p)) return fail('BROKER_BAD_ANSWER', `positions.csv line ${line}: ${p.left}`);
        if (out.some((q) => q.symbol === p.right.symbol)) return fail('BROKER_BAD_ANSWER', `positions.csv line ${line}: symbol ${p.right.symbol} appears a second time`);
        out.push(p.right);
      }
      return right(out);
    },

    async queryAccount() {
      if (closed) return closedError();
      const rows = await readTable(dir, 'account.csv', ACCOUNT_HEADER);
      if (isLeft(rows)) return rows;
      const [row, extra] = rows.right;
      if (row === undefined) return fail('BROKER_BAD_ANSWER', 'account.csv line 2: the data row is missing');
      if (extra !== undefined) return fail('BROKER_BAD_ANSWER', `account.csv line ${extra.line}: only one data row is allowed`);
      const account = parseAccountFields(row.f);
      if (isLeft(account)) return fail('BROKER_BAD_ANSWER', `account.csv line ${row.line}: ${account.left}`);
      return right(account.right);
    },

    async close() { closed = true; },
  };
  return right(port);
}

/** The data rows of a whole-file table the terminal keeps (header checked exactly; blank lines skipped). */
async function readTable(dir: string, name: string, header: string): Promise<Either<BrokerError, { line: number; f: string[] }[]>> {
  let text: string;
  try { text = await readFile(join(dir, name), 'utf8'); } catch (e) {
    return isMissing(e) ? fail('BROKER_UNAVAILABLE', `broker file ${join(dir, name)} does not exist`) : fail('BROKER_IO', `reading ${join(dir, name)} failed (${errCode(e)})`);
  }
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0] !== header) return fail('BROKER_BAD_ANSWER', `${name} line 1: the header is "${(lines[0] ?? '').slice(0, 100)}" but must be "${header}"`);
  const rows: { line: number; f: string[] }[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const f = splitCsvRecord(lines[i]!);
    if (isLeft(f)) return fail('BROKER_BAD_ANSWER', `${name} line ${i + 1}: ${f.left}`);
    rows.push({ line: i + 1, f: f.right });
  }
  return right(rows);
}

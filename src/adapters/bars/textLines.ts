import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** Whether a path names a gzip file; bar and dividend files may be stored compressed. */
export const isGzipPath = (path: string): boolean => path.toLowerCase().endsWith('.gz');

/** 'missing' when nothing is at `path`, 'not-a-file' for a directory and the like, 'ok' otherwise. */
export async function probeFile(path: string): Promise<'ok' | 'missing' | 'not-a-file'> {
  try {
    return (await stat(path)).isFile() ? 'ok' : 'not-a-file';
  } catch {
    return 'missing';
  }
}

/**
 * Streams a text file (gunzipped when the name ends in `.gz`) as blocks of whole lines: each block ends
 * just after a `\n`, except a final line without one. A UTF-8 BOM is dropped. Readers walk a block by
 * position, so a 6M-line file costs one await per megabyte and no string per line. Errors (I/O, corrupt
 * gzip) are thrown from the iteration; breaking out of the loop closes the file.
 */
export async function* readTextBlocks(path: string): AsyncGenerator<string> {
  const src = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream: Readable = isGzipPath(path) ? pipeline(src, createGunzip(), () => undefined) : src;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  try {
    for await (const chunk of stream) {
      let text = carry + decoder.write(chunk as Buffer);
      if (first && text.length > 0) { if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); first = false; }
      const cut = text.lastIndexOf('\n');
      if (cut < 0) { carry = text; continue; }
      carry = text.slice(cut + 1);
      yield cut + 1 === text.length ? text : text.slice(0, cut + 1);
    }
    const rest = carry + decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    src.destroy();
  }
}

/**
 * `readTextBlocks` without the decoding: blocks of whole lines as bytes, for readers that parse bytes
 * in place (the bar reader). A UTF-8 BOM is dropped. A block may share memory with the next read:
 * use it before asking for the next one.
 */
export async function* readByteBlocks(path: string): AsyncGenerator<Buffer> {
  const src = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream: Readable = isGzipPath(path) ? pipeline(src, createGunzip(), () => undefined) : src;
  let carry: Buffer | null = null;
  let first = true;
  try {
    for await (const chunk of stream) {
      let b: Buffer = carry === null ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
      if (first) {
        if (b.length < 3) { carry = b; continue; } // a BOM could still be forming
        if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
        first = false;
      }
      const cut = b.lastIndexOf(10);
      if (cut < 0) { carry = b; continue; }
      carry = cut + 1 === b.length ? null : Buffer.from(b.subarray(cut + 1));
      yield b.subarray(0, cut + 1);
    }
    if (carry !== null && carry.length > 0) {
      if (first && carry.length === 3 && carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) return;
      yield carry;
    }
  } finally {
    src.destroy();
  }
}

/** Calls `onLine(text, start, end)` for each line of a block (`end` excludes `\r\n` / `\n`); stops when it returns false. */
export function forEachLine(text: string, onLine: (text: string, start: number, end: number) => boolean): boolean {
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (!onLine(text, pos, end)) return false;
    pos = nl + 1;
  }
  return true;
}

/** The lines of a text file in batches (one per block), for small files where a string per line is fine. */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  for await (const block of readTextBlocks(path)) {
    const lines: string[] = [];
    forEachLine(block, (t, a, b) => { lines.push(t.slice(a, b)); return true; });
    yield lines;
  }
}

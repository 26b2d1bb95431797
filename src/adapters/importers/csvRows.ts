import { forEachLine, readTextBlocks } from '../bars/textLines.js';

/** Splits one CSV line; double-quoted fields (with `""` escapes) are honoured, so pandas/Excel exports read. */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"') {
        if (line[i + 1] === '"') { cur += '"'; i++; } else q = false;
      } else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

export interface CsvLine {
  readonly line: number;
  readonly fields: string[];
}

/**
 * The non-blank lines of a CSV file (`.gz` read gunzipped, BOM dropped), split into fields, in batches
 * (one per ~1 MB block) so a large file costs few awaits. `line` is 1-based, counting blank lines.
 */
export async function* readCsvBatches(path: string): AsyncGenerator<CsvLine[]> {
  let n = 0;
  for await (const block of readTextBlocks(path)) {
    const batch: CsvLine[] = [];
    forEachLine(block, (t, a, b) => {
      n++;
      if (b > a && t.slice(a, b).trim() !== '') batch.push({ line: n, fields: splitCsvLine(t.slice(a, b)) });
      return true;
    });
    yield batch;
  }
}

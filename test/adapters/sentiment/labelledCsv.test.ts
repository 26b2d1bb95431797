import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { labelledCsvText, parseCsv, readLabelledCsv, readTextColumn, writeLabelledCsv } from '../../../src/adapters/sentiment/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ashare-sent-csv-'));
const file = (name: string, text: string | Buffer) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const fields = (text: string) => { const r = parseCsv(text); if (isLeft(r)) throw new Error(r.left.what); return r.right.map((x) => [x.line, x.fields]); };

describe('RFC 4180 reader', () => {
  it('quoted fields keep commas, doubled quotes and line breaks; CRLF and a missing final newline are fine; blank lines skipped', () => {
    expect(fields('id,text,label\r\n1,"跌了,快跑",0\r\n\r\n2,"他说""涨""",1\n3,"两行\n文字",2')).toEqual([
      [1, ['id', 'text', 'label']], [2, ['1', '跌了,快跑', '0']], [4, ['2', '他说"涨"', '1']], [5, ['3', '两行\n文字', '2']],
    ]);
    expect(fields('a,,c\n,\n')).toEqual([[1, ['a', '', 'c']], [2, ['', '']]]);
  });

  it('malformed text is an error with its line', () => {
    expect(parseCsv('a,b\n1,"open\n')).toEqual({ _tag: 'Left', left: { line: 2, what: 'a quoted field is never closed' } });
    expect(parseCsv('a,b\n1,"x"y\n')).toMatchObject({ left: { line: 2, what: 'unexpected text after a closing quote' } });
    expect(parseCsv('a,b\n\n1,x"y\n')).toMatchObject({ left: { line: 3 } });
  });
});

describe('labelled CSV files', () => {
  it('reads id,text,label with 0/1/2 codes or names, BOM dropped, and the sha256 of the bytes', () => {
    const p = file('ok.csv', '\ufeffid,text,label\n7,"主力出货,快跑",0\n8,明天涨,1\n9,看看,neutral\n');
    const r = readLabelledCsv(p);
    expect(isRight(r) && r.right.rows).toEqual([
      { id: '7', text: '主力出货,快跑', label: 'negative', line: 2 },
      { id: '8', text: '明天涨', label: 'positive', line: 3 },
      { id: '9', text: '看看', label: 'neutral', line: 4 },
    ]);
    expect(isRight(r) && r.right.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a bad row fails the file, naming the file and the line', () => {
    const cases: [string, string, RegExp][] = [
      ['badlabel.csv', 'text,label\n好,1\n差,7\n', /badlabel\.csv:3: label "7"/],
      ['fields.csv', 'id,text,label\n1,好,1\n2,a,b,1\n', /fields\.csv:3: 4 fields where the header has 3/],
      ['quote.csv', 'text,label\n"好,1\n', /quote\.csv:2: a quoted field is never closed/],
      ['empty.csv', 'text,label\n"  ",1\n', /empty\.csv:2: empty text/],
      ['header.csv', 'comment,sentiment\n好,1\n', /header\.csv:1: the header needs columns text and label/],
      ['none.csv', '', /none\.csv: the file is empty/],
    ];
    for (const [name, text, re] of cases) {
      const r = readLabelledCsv(file(name, text));
      expect(isLeft(r) && r.left.code, name).toBe('SENTIMENT_FILE_INVALID');
      expect(isLeft(r) && r.left.message, name).toMatch(re);
    }
    const missing = readLabelledCsv(join(dir, 'nope.csv'));
    expect(isLeft(missing) && missing.left.code).toBe('SENTIMENT_FILE_NOT_FOUND');
    const latin = readLabelledCsv(file('latin.csv', Buffer.from([0x74, 0x65, 0x78, 0x74, 0x2c, 0x6c, 0x61, 0x62, 0x65, 0x6c, 0x0a, 0xff, 0x2c, 0x31, 0x0a])));
    expect(isLeft(latin) && latin.left.message).toMatch(/not UTF-8/);
  });

  it('what it writes reads back the same (quoting where needed); no id column when no row has one', () => {
    const rows = [
      { id: '1', text: '他说"涨",真的', label: 'positive' as const },
      { id: '2', text: '两行\n文字', label: 'neutral' as const },
      { id: '3', text: ' 前后有空格 ', label: 'negative' as const },
    ];
    const p = join(dir, 'round.csv');
    expect(isRight(writeLabelledCsv(p, rows))).toBe(true);
    const back = readLabelledCsv(p);
    expect(isRight(back) && back.right.rows.map(({ id, text, label }) => ({ id, text, label }))).toEqual(rows);
    expect(labelledCsvText([{ id: null, text: '好', label: 'positive' }])).toBe('text,label\n好,1\n');
    expect(isLeft(writeLabelledCsv(join(dir, 'no', 'such', 'dir.csv'), rows))).toBe(true);
  });

  it('reads one column of a gzip CSV (the headlines layout)', () => {
    const p = file('h.csv.gz', gzipSync(Buffer.from(',Text,Close,Return,Label\n1,葡萄牙担子不轻,371.4,0.005,1\n2,"联大通过,预算",371.4,0.005,1\n')));
    const r = readTextColumn(p, 'Text');
    expect(isRight(r) && r.right).toEqual(['葡萄牙担子不轻', '联大通过,预算']);
    expect(isLeft(readTextColumn(p, 'text'))).toBe(true);
  });
});

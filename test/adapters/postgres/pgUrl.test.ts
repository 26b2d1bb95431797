import { describe, expect, it } from 'vitest';
import { classifyPgError } from '../../../src/adapters/postgres/pgConnection.js';
import { describeServer, isPostgresUrl, redactUrl, takeParams } from '../../../src/adapters/postgres/pgUrl.js';

describe('postgres URLs', () => {
  it('tells a URL from a journal file path', () => {
    expect(isPostgresUrl('postgres://u:p@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('journal/run.sqlite')).toBe(false);
    expect(isPostgresUrl('./postgres://x')).toBe(false);
  });

  it('never shows the password, whatever the URL looks like', () => {
    expect(redactUrl('postgres://ashare:s3cr%40t@127.0.0.1:5432/db?journal=main')).toBe('postgres://ashare:***@127.0.0.1:5432/db?journal=main');
    expect(redactUrl('postgres://ashare@h/db')).toBe('postgres://ashare@h/db');
    expect(redactUrl('postgres://u:p@ss:word@h:99999999/db')).not.toContain('word');
    expect(describeServer('postgres://u:secret@db.example:6543/prod')).toBe('db.example:6543/prod');
  });

  it('takes our own parameters off before the driver sees the URL', () => {
    const r = takeParams('postgres://u:p@h/db?journal=live&sslmode=require', ['journal']);
    expect(r.params.get('journal')).toBe('live');
    expect(r.url).toBe('postgres://u:p@h/db?sslmode=require');
  });

  it('says what a driver error means in one sentence, without the password', () => {
    const url = 'postgres://u:hunter2@h:5433/db';
    expect(classifyPgError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), url, 'open journal x'))
      .toEqual({ kind: 'UNAVAILABLE', message: 'cannot open journal x: the PostgreSQL server at h:5433/db is not reachable (ECONNREFUSED)' });
    expect(classifyPgError({ code: '28P01', message: 'password authentication failed for user "u"' }, url, 'open').kind).toBe('UNAVAILABLE');
    const io = classifyPgError(new Error(`weird failure mentioning ${url}`), url, 'append');
    expect(io.kind).toBe('IO');
    expect(io.message).not.toContain('hunter2');
  });
});

import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { openPgJournal, type PgJournal, type PgJournalOptions } from '../../../src/adapters/journal/pgJournal.js';
import { verifyPgJournal } from '../../../src/adapters/journal/pgVerify.js';
import { redactUrl } from '../../../src/adapters/postgres/pgConnection.js';
import type { StoredEvent } from '../../../src/domain/events/envelope.js';
import { pgUnavailableReason, startPg, type PgServer } from '../../fixtures/pgServer.js';
import { makeTempDir, marker, markedEvent } from './fixtures/journalFiles.js';
import { describeJournalContract } from './journalContract.js';

const skip = pgUnavailableReason();
if (skip !== null) console.log(`PostgreSQL journal tests skipped: ${skip}`);

// One server for the file; every journal a test makes is its own name on it.
let server: PgServer | undefined;
const pgServer = (): PgServer => (server ??= startPg());
afterAll(() => server?.stop());

async function openOrThrow(o: Partial<PgJournalOptions> & { url: string }): Promise<PgJournal> {
  const r = await openPgJournal({ durability: 'fast', create: true, ...o });
  if (isLeft(r)) throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
}

function pgFactory(key: () => Promise<JournalKey | undefined>, durability: PgJournalOptions['durability'], pollMs?: number) {
  return async () => {
    const journal = await openOrThrow({ url: pgServer().journalUrl(), key: await key(), durability, ...(pollMs === undefined ? {} : { pollMs }) });
    return { journal, cleanup: () => journal.close() };
  };
}

const keyFile = async (): Promise<JournalKey> => {
  const k = generateKeyFile(`${await makeTempDir()}/journal.key`);
  if (isLeft(k)) throw new Error(k.left.message);
  return k.right;
};

describe.skipIf(skip !== null)('postgres journal (real server)', () => {
  describeJournalContract('postgres (plain, fast)', pgFactory(async () => undefined, 'fast'));
  describeJournalContract('postgres (passphrase, durable, notifications only)', pgFactory(async () => ({ kind: 'passphrase', passphrase: "it's a passphrase" }), 'durable', 0));
  describeJournalContract('postgres (key file, fast)', pgFactory(keyFile, 'fast'));

  describe('across connections and at rest', () => {
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: pgServer().url });
      await admin.connect();
    });
    afterAll(async () => { await admin?.end(); });

    it('turns a subscription live through LISTEN/NOTIFY when another connection appends (no polling)', async () => {
      const url = pgServer().journalUrl();
      const reader = await openOrThrow({ url, pollMs: 0 });
      const writer = await openOrThrow({ url, create: false });
      const seen: number[] = [];
      const sub = reader.subscribe(1, (e) => { seen.push(e.seq); });
      await new Promise((r) => setTimeout(r, 300)); // the LISTEN is in place
      for (let b = 0; b < 3; b++) {
        const r = await writer.append([1, 2].map((i) => markedEvent(b * 2 + i)), b * 2);
        expect(isRight(r)).toBe(true);
      }
      while (seen.length < 6) await new Promise((r) => setTimeout(r, 5));
      await sub.close();
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      await Promise.all([reader.close(), writer.close()]);
    });

    it('stores sealed payloads: the database holds no plaintext, the chain is over the plaintext, verify passes', async () => {
      const name = `enc-${Date.now()}`;
      const url = pgServer().journalUrl(name);
      const key = await keyFile();
      const enc = await openOrThrow({ url, key });
      const plain = await openOrThrow({ url: pgServer().journalUrl(`${name}-plain`) });
      const events = [1, 2, 3].map((n) => markedEvent(n));
      const a = await enc.append(events, 0);
      const b = await plain.append(events, 0);
      if (isLeft(a) || isLeft(b)) throw new Error('append failed');
      expect(a.right.headHash).toBe(b.right.headHash); // same chain, encrypted or not
      const raw = await admin.query<{ data: Buffer }>('SELECT data FROM ashare_events WHERE journal = $1', [name]);
      expect(raw.rows).toHaveLength(3);
      for (const r of raw.rows) expect(r.data.toString('latin1')).not.toContain('MARKER-');
      const read: StoredEvent[] = [];
      for await (const e of enc.read()) read.push(e);
      expect(read.map((e) => (e.data as { marker: string }).marker)).toEqual([1, 2, 3].map(marker));
      await Promise.all([enc.close(), plain.close()]);
      expect(await verifyPgJournal(url, key)).toMatchObject({ ok: true, events: 3, headHash: a.right.headHash });
      expect(await verifyPgJournal(url)).toMatchObject({ ok: false, code: 'JOURNAL_KEY_REQUIRED' });
      expect(await verifyPgJournal(url, await keyFile())).toMatchObject({ ok: false, code: 'JOURNAL_KEY_INVALID' });
      expect(await verifyPgJournal(url, { kind: 'passphrase', passphrase: 'x' })).toMatchObject({ ok: false, code: 'JOURNAL_KEY_INVALID' });
      // A sealed payload moved to another row does not open there.
      await admin.query(`UPDATE ashare_events SET data = (SELECT data FROM ashare_events WHERE journal = $1 AND seq = 1) WHERE journal = $1 AND seq = 2`, [name]);
      expect(await verifyPgJournal(url, key)).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', seq: 2 });
    });

    it('verify names the first altered event of a plain journal', async () => {
      const name = `alter-${Date.now()}`;
      const url = pgServer().journalUrl(name);
      const j = await openOrThrow({ url });
      await j.append([1, 2, 3, 4].map((n) => markedEvent(n)), 0);
      await j.close();
      expect(await verifyPgJournal(url)).toMatchObject({ ok: true, events: 4 });
      await admin.query(`UPDATE ashare_events SET data = convert_to(replace(convert_from(data, 'UTF8'), '10003', '10009'), 'UTF8') WHERE journal = $1 AND seq = 3`, [name]);
      expect(await verifyPgJournal(url)).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 3 });
    });

    it('refuses a missing journal, a second exclusive create, and never shows the password', async () => {
      const url = pgServer().journalUrl(`missing-${Date.now()}`);
      const missing = await openPgJournal({ url, durability: 'fast' });
      expect(isLeft(missing) && missing.left.code).toBe('JOURNAL_NOT_FOUND');
      const first = await openOrThrow({ url, exclusive: true });
      const again = await openPgJournal({ url, durability: 'fast', create: true, exclusive: true });
      expect(isLeft(again) && again.left.code).toBe('JOURNAL_EXISTS');
      await first.close();
      const u = new URL(url);
      u.password = 'not-the-password-xyzzy';
      const refused = await openPgJournal({ url: u.toString(), durability: 'fast' });
      if (!isLeft(refused)) throw new Error('a wrong password was accepted');
      expect(refused.left.code).toBe('JOURNAL_UNAVAILABLE');
      expect(refused.left.message).not.toContain('xyzzy');
      expect(redactUrl(u.toString())).not.toContain('xyzzy');
      const real = new URL(pgServer().url).password;
      if (real !== '') expect(first.shown).not.toContain(real);
    });
  });
});

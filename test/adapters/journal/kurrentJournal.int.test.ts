import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { KurrentDBClient, NO_STREAM, jsonEvent } from '@kurrent/kurrentdb-client';
import { kurrentStreamName, openKurrentJournal } from '../../../src/adapters/journal/kurrentJournal.js';
import { describeJournalContract } from './journalContract.js';

// A real KurrentDB/EventStoreDB node, e.g. ESDB_URL='kurrentdb://localhost:2113?tls=false'. CI without one logs why.
const url = process.env['ESDB_URL'];

if (url === undefined || url === '') {
  console.log('KurrentDB contract suite skipped: ESDB_URL is not set');
  describe.skip('kurrent journal (real server)', () => {
    it('needs ESDB_URL', () => undefined);
  });
} else {
  const admin = KurrentDBClient.connectionString(url);
  const created: string[] = [];
  afterAll(async () => {
    // Delete (not tombstone) every stream the run created, so the server is left as it was found.
    await Promise.all(created.map((s) => admin.deleteStream(s).catch(() => undefined)));
    await admin.dispose();
  });

  describeJournalContract('kurrent (real server)', async () => {
    const journalName = `contract-${randomUUID()}`;
    created.push(kurrentStreamName(journalName));
    const opened = await openKurrentJournal({ url, journalName });
    if (isLeft(opened)) throw new Error(`${opened.left.code}: ${opened.left.message}`);
    return { journal: opened.right, cleanup: () => opened.right.close() };
  });

  describe('kurrent server semantics the adapter relies on', () => {
    it('treats the same ids appended again at the same expected revision as an idempotent success', async () => {
      const stream = kurrentStreamName(`idem-${randomUUID()}`);
      created.push(stream);
      const batch = [1, 2].map((n) => jsonEvent({ id: randomUUID(), type: 'Probe', data: { n } }));
      const first = await admin.appendToStream(stream, batch, { streamState: NO_STREAM });
      const retry = await admin.appendToStream(stream, batch, { streamState: NO_STREAM });
      expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      let count = 0;
      for await (const _ of admin.readStream(stream)) count += 1;
      expect(count).toBe(2);
    });

    it('starts a stream subscription after the given revision (exclusive)', async () => {
      const stream = kurrentStreamName(`sub-${randomUUID()}`);
      created.push(stream);
      await admin.appendToStream(stream, [0, 1, 2].map((n) => jsonEvent({ type: 'Probe', data: { n } })));
      const sub = admin.subscribeToStream(stream, { fromRevision: 0n });
      for await (const re of sub) {
        expect(re.event?.revision).toBe(1n);
        break;
      }
      await sub.unsubscribe();
    });
  });
}

import { isLeft } from 'fp-ts/lib/Either.js';
import type { JournalHead } from '../../domain/index.js';
import type { JournalKey, TailVerifier, VerifyResult } from '../../adapters/journal/index.js';
import { openTailVerifier } from '../../adapters/journal/index.js';
import type { ServiceSession } from './serviceSession.js';

/** What the service does when the journal stops verifying: raise JOURNAL_VERIFY (journaled like every alert, alerts.exec with it). */
export interface JournalWatch {
  /**
   * Verifies the events appended since the last check when `everySeconds` of wall time have
   * passed. Runs inside `ServiceSession.exclusive` (the background tick), so the head it checks up
   * to is the one the session committed. After a failure it checks no more: the alert is raised once.
   */
  tick(wallNowMs: number): Promise<void>;
  close(): void;
}

/**
 * The periodic re-verification of `alerts.verifyEverySeconds` (null: off). It starts at the
 * session's head, which the start-up verified (the whole chain of a resumed journal; an empty one
 * has nothing to verify), and moves on with each passing check.
 */
export function journalWatch<S>(s: ServiceSession<S>, path: string, key: JournalKey | undefined, everySeconds: number | null, wallNowMs: number): JournalWatch {
  let verified: JournalHead = { seq: s.expected, hash: s.headHash };
  let lastAt = wallNowMs;
  let failed = false;
  let verifier: TailVerifier | null = null;
  const close = () => {
    verifier?.close();
    verifier = null;
  };
  const check = (): VerifyResult => {
    if (verifier === null) {
      const opened = openTailVerifier(path, key);
      if (isLeft(opened)) return { ok: false, code: opened.left.code, seq: null, reason: opened.left.message };
      verifier = opened.right;
    }
    return verifier.check(verified, { seq: s.expected, hash: s.headHash });
  };
  return {
    async tick(now) {
      if (failed || everySeconds === null || now - lastAt < everySeconds * 1000) return;
      lastAt = now;
      const from = verified.seq;
      const r = check();
      if (r.ok) {
        verified = { seq: r.headSeq, hash: r.headHash };
        return;
      }
      failed = true; // once: a commit that fails below is logged by the tick, not retried every 250 ms
      close();
      const st = s.stager();
      const where = r.seq !== null ? ` at seq ${r.seq}` : '';
      s.alert(st, 'JOURNAL_VERIFY', 'critical', `the journal does not verify${where}: ${r.reason} (${r.code}; found checking the events after seq ${from}; ashare journal verify checks the whole file)`);
      await s.commit(st);
    },
    close,
  };
}

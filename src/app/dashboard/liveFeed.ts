import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { StoredEvent, Subscription } from '../../domain/index.js';
import { decodeEvent } from '../journalio/index.js';
import type { DashboardContext } from './server.js';
import { liveSession, originAllowed } from './server.js';

/** Bytes a client may have unsent before the feed waits for it; beyond it for `DRAIN_MS` it is dropped. */
const HIGH_WATER = 1 << 20;
const DRAIN_MS = 2_000;
/** How often a connection's session is checked (idle/absolute expiry, logout, the user removed or re-enrolled). */
const SESSION_CHECK_MS = 5_000;

/** Close codes the page understands: the session ended (sign in again); too slow (reconnect). */
export const WS_SESSION_ENDED = 4401;
export const WS_TOO_SLOW = 4008;

/**
 * GET /ws?afterSeq=N: every journal event after N, then each new one as it is appended, as JSON
 * frames `{seq, type, day, data}`. Each connection has its own catch-up subscription on the
 * journal (the same code path for catch-up and live), so a reconnect with the last seq seen gets
 * no gap and no duplicate. A client that does not keep up is dropped (its own subscription waits
 * for it briefly; nobody else is slowed). The upgrade needs a session and the dashboard's own Origin.
 */
export function registerLiveFeed(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/ws', {
    websocket: true,
    preValidation: async (req, reply) => {
      if (!originAllowed(ctx, req, true)) return reply.code(403).send({ error: 'websocket from another origin refused' });
      const q = req.query as { afterSeq?: string };
      if (q.afterSeq !== undefined && !/^\d{1,15}$/.test(q.afterSeq)) return reply.code(400).send({ error: 'malformed request: afterSeq must be a seq number' });
      return undefined;
    },
  }, (socket: WebSocket, req) => {
    const sessionId = req.session!.id;
    const afterSeq = Number((req.query as { afterSeq?: string }).afterSeq ?? 0);
    let closed = false;
    let sub: Subscription | null = null;
    const end = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      void sub?.close();
      clearInterval(check);
      try { socket.close(code, reason); } catch { /* already closing */ }
    };
    const check = setInterval(() => {
      let live = false;
      try {
        live = liveSession(ctx, sessionId, false).ok;
      } catch { /* the users file cannot be read now: the feed ends, the page signs in again */ }
      if (!live) end(WS_SESSION_ENDED, 'session ended');
    }, SESSION_CHECK_MS);
    check.unref();
    socket.on('close', () => end(1000, ''));
    socket.on('error', () => end(1011, ''));
    socket.on('message', () => undefined); // the feed is one-way; client messages are ignored
    const high = ctx.o.wsHighWaterBytes ?? HIGH_WATER;
    sub = ctx.follower.journal.subscribe(afterSeq + 1, async (e: StoredEvent) => {
      if (closed) return;
      if (socket.bufferedAmount > high) {
        const t0 = Date.now();
        while (!closed && socket.bufferedAmount > high && Date.now() - t0 < DRAIN_MS) await new Promise((r) => setTimeout(r, 50));
        if (socket.bufferedAmount > high) { end(WS_TOO_SLOW, 'too slow: reconnect with afterSeq'); return; }
      }
      // A frame goes out only once the read model holds its event: the page refreshes on a frame,
      // and /api/state must then show what the frame announced (each socket polls the journal on its own).
      await ctx.follower.reached(e.seq);
      if (closed) return;
      const d = decodeEvent(e);
      socket.send(JSON.stringify({ seq: e.seq, type: e.type, day: e.day, data: d.ok ? d.event.data : e.data }));
    });
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readHeartbeat } from '../../adapters/commands/index.js';
import type { StoredEvent } from '../../domain/index.js';
import { checkEntry, formatExchangeTime, GENESIS_HASH, EVENT_TYPES } from '../../domain/index.js';
import { canonicalJson } from '../../domain/canonicalJson.js';
import { decodeEvent } from '../journalio/index.js';
import { serviceRunning } from './authRoutes.js';
import type { DashboardContext } from './server.js';

const cny = (fen: number): number => fen / 100;

export interface AlertJson {
  id: number;
  code: string;
  level: string;
  day: string | null;
  message: string;
  at: string;
  state: 'active' | 'cleared';
  acknowledgedBy: string | null;
  clearedAt: string | null;
  source: 'journal' | 'dashboard';
}

/** Where the service is, from its lock and heartbeat file (wall time). */
export function serviceView(ctx: DashboardContext) {
  const m = ctx.follower.model;
  const { running, pid } = serviceRunning(ctx.o.journalPath);
  const hb = readHeartbeat(ctx.o.journalPath);
  const hbAt = hb ? Date.parse(hb.at) : NaN;
  return {
    running, pid, mode: m.mode, step: m.step, stepDay: m.stepDay,
    heartbeatAt: hb ? hb.at : null,
    heartbeatAgeSeconds: Number.isFinite(hbAt) ? Math.max(0, Math.round((ctx.now() - hbAt) / 100) / 10) : null,
  };
}

/**
 * Alerts only the dashboard can see, never journaled (it does not write the journal): a service
 * journal whose service is silent (no heartbeat for N seconds without a clean stop), and a chain
 * that does not verify. They clear themselves; there is nothing to acknowledge.
 */
export function dashboardAlerts(ctx: DashboardContext): AlertJson[] {
  const out: AlertJson[] = [];
  const m = ctx.follower.model;
  const now = ctx.now();
  const at = new Date(now).toISOString();
  if (m.serviceSeen && !m.serviceStopped) {
    const sv = serviceView(ctx);
    const limit = ctx.heartbeatSeconds();
    if (!sv.running || sv.heartbeatAgeSeconds === null || sv.heartbeatAgeSeconds > limit) {
      const why = !sv.running ? 'its process is not running (no clean stop was journaled)'
        : sv.heartbeatAgeSeconds === null ? 'it has written no heartbeat' : `its last heartbeat is ${Math.round(sv.heartbeatAgeSeconds)} s old`;
      out.push({ id: -1, code: 'HEARTBEAT', level: 'critical', day: m.day(), message: `no heartbeat from the service for more than ${limit} s: ${why}`, at, state: 'active', acknowledgedBy: null, clearedAt: null, source: 'dashboard' });
    }
  }
  const v = ctx.follower.verify;
  const problem = ctx.follower.decodeProblem ?? (v && !v.ok ? v.reason : null);
  if (problem) {
    out.push({ id: -2, code: 'JOURNAL_VERIFY', level: 'critical', day: m.day(), message: `the journal does not verify: ${problem}`, at, state: 'active', acknowledgedBy: null, clearedAt: null, source: 'dashboard' });
  }
  return out;
}

export function journalAlerts(ctx: DashboardContext): AlertJson[] {
  return ctx.follower.model.alertViews().map((a) => ({
    id: a.id, code: a.code, level: a.level, day: a.day, message: a.message, at: formatExchangeTime(a.at, true),
    state: a.state, acknowledgedBy: a.acknowledgedBy, clearedAt: a.clearedAt === null ? null : formatExchangeTime(a.clearedAt, true), source: 'journal' as const,
  }));
}

/** The overview as JSON (GET /api/state; `ashare` scripts read it too). */
export function stateJson(ctx: DashboardContext) {
  const m = ctx.follower.model;
  const p = m.projections;
  const service = serviceView(ctx);
  const lastBarDay = p.lastBars?.day ?? null;
  const day = m.day();
  const v = ctx.follower.verify;
  const active = journalAlerts(ctx).filter((a) => a.state === 'active');
  return {
    asOf: new Date(ctx.now()).toISOString(),
    day,
    equity: cny(m.equityFen()),
    cash: cny(p.portfolio.cashFen),
    dayPnl: ((x) => (x === null ? null : cny(x)))(m.dayPnlFen()),
    exposure: m.exposure(),
    drawdown: m.drawdown(),
    equityCurve: p.equity.map((x) => ({ day: x.day, equity: cny(x.equityFen) })),
    positions: m.positions(),
    workingOrders: m.workingOrders(),
    tradingState: p.risk.state,
    alerts: [...dashboardAlerts(ctx), ...active],
    service,
    data: { lastBarDay, stale: active.some((a) => a.code === 'STALE_DATA') },
    journal: {
      lastSeq: m.lastSeq, headHash: m.headHash,
      verify: v ? { ok: v.ok && ctx.follower.decodeProblem === null, checkedAt: new Date(v.checkedAt).toISOString(), lastSeq: v.lastSeq, anchoredSeq: v.anchoredSeq, reason: ctx.follower.decodeProblem ?? v.reason } : null,
    },
    airgap: m.airgap,
    readOnly: !service.running,
  };
}

const EventsQuery = z.strictObject({
  afterSeq: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  type: z.string().refine((t) => (EVENT_TYPES as string[]).includes(t), 'not an event type').optional(),
  symbol: z.string().regex(/^\d{6}\.(SH|SZ|BJ)$/).optional(),
});

/** How many stored events one /api/events call may look through for a symbol before it answers with what it found. */
const SCAN_LIMIT = 20_000;

function eventJson(e: StoredEvent) {
  const d = decodeEvent(e);
  return {
    seq: e.seq, type: e.type, version: e.schemaVersion, day: e.day, occurredAt: formatExchangeTime(e.occurredAt, true),
    recordedAt: formatExchangeTime(e.recordedAt, true), eventId: e.eventId, hash: e.hash, prevHash: e.prevHash,
    data: d.ok ? d.event.data : e.data,
  };
}

/** Whether an event names `symbol` (a day's bars: when the symbol traded that day; they are stored packed from v2). */
function mentions(e: StoredEvent, symbol: string): boolean {
  if (e.type !== 'BarsClosed') return JSON.stringify(e.data).includes(`"${symbol}"`);
  const d = decodeEvent(e);
  return d.ok && d.event.type === 'BarsClosed' && d.event.data.symbols.includes(symbol as never);
}

/** The JSON API the pages use: GET only; every route needs a session (the auth hook). */
export function registerApi(app: FastifyInstance, ctx: DashboardContext): void {
  const m = () => ctx.follower.model;

  app.get('/api/state', async () => stateJson(ctx));

  app.get('/api/orders', async (req, reply) => {
    const q = z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'malformed request: ?day=YYYY-MM-DD' });
    const days = m().orderDays();
    const day = q.data.day ?? days[0] ?? m().day();
    const { orders, fills } = day ? m().ordersOf(day) : { orders: [], fills: [] };
    return { day, days, orders: orders.map(({ notionalFen: _n, ...o }) => o), fills };
  });

  app.get('/api/risk', async () => ({
    tradingState: m().projections.risk.state,
    limits: m().limits(),
    denialsByRule: [...m().denialsByRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([rule, count]) => ({ rule, count })),
    recentDenials: m().recentDenials.slice(-100).reverse(),
    stops: m().stops.slice(-100).reverse(),
    stateChanges: m().stateChanges.slice(-100).reverse(),
  }));

  app.get('/api/alerts', async () => ({
    alerts: [...dashboardAlerts(ctx), ...journalAlerts(ctx).reverse().slice(0, 200)],
  }));

  app.get('/api/events', async (req, reply) => {
    const q = EventsQuery.safeParse(req.query);
    if (!q.success) {
      const i = q.error.issues[0]!;
      return reply.code(400).send({ error: `malformed request: ${i.path.join('.') || 'query'}: ${i.message}` });
    }
    const { afterSeq, limit, day, type, symbol } = q.data;
    const out: ReturnType<typeof eventJson>[] = [];
    let scanned = 0, lastScanned = afterSeq;
    for await (const e of ctx.follower.journal.read({ fromSeq: afterSeq + 1, ...(day ? { day: day as never } : {}), ...(type ? { type } : {}) })) {
      scanned++;
      lastScanned = e.seq;
      if (symbol && !mentions(e, symbol)) {
        if (scanned >= SCAN_LIMIT) break;
        continue;
      }
      out.push(eventJson(e));
      if (out.length >= limit || scanned >= SCAN_LIMIT) break;
    }
    const head = await ctx.follower.journal.head();
    const more = lastScanned < head.seq && (out.length >= limit || scanned >= SCAN_LIMIT);
    return { events: out, lastSeq: head.seq, nextAfterSeq: more ? lastScanned : null };
  });

  app.get('/api/events/:seq', async (req, reply) => {
    const seq = Number((req.params as { seq: string }).seq);
    if (!Number.isSafeInteger(seq) || seq <= 0) return reply.code(400).send({ error: 'malformed request: /api/events/<seq>' });
    const around: StoredEvent[] = [];
    for await (const e of ctx.follower.journal.read({ fromSeq: Math.max(1, seq - 1), toSeq: seq + 1 })) around.push(e);
    const e = around.find((x) => x.seq === seq);
    if (!e) return reply.code(404).send({ error: `no event ${seq} in this journal` });
    const prev = around.find((x) => x.seq === seq - 1) ?? null;
    const next = around.find((x) => x.seq === seq + 1) ?? null;
    const problem = checkEntry(e, canonicalJson(e.data), seq, prev ? prev.hash : GENESIS_HASH);
    return { ...eventJson(e), chain: { prev: prev?.seq ?? null, next: next?.seq ?? null, linkOk: problem === null, problem } };
  });
}

import { isLeft } from 'fp-ts/lib/Either.js';
import type { TradingDay } from '../../domain/index.js';
import { formatExchangeTime } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { isHolderAlive, readLock } from '../../adapters/lock/lockFile.js';
import { emptyExecution, emptyProjections, evolveExecution, evolveProjections, sellableOn } from '../../projections/index.js';
import { AppError, EXIT } from '../errors.js';
import { readJournalFile } from '../journalio/index.js';
import { storedAnchorOf } from '../journalio/journalLocator.js';

export interface ServiceStatus {
  readonly running: boolean;
  readonly pid: number | null;
  readonly mode: string | null;
  readonly day: string | null;
  readonly step: string | null;
  readonly tradingState: string;
  /** CNY. */
  readonly cash: number;
  readonly positions: readonly { symbol: string; quantity: number; sellable: number; avgCost: number }[];
  readonly workingOrders: readonly { orderId: string; clientOrderId: string | null; symbol: string; side: string; quantity: number; filled: number; status: string }[];
  readonly lastSeq: number;
  readonly headHash: string | null;
  /** The head anchored beside the journal (it may lag the journal by the last commit after a crash); null when there is none. */
  readonly anchor: { readonly seq: number; readonly hash: string; readonly at: string } | null;
  readonly lastReconciliation: { day: string; occasion: string; result: 'passed' | 'breaks'; breaks: readonly { symbol: string | null; field: string; ours: number; theirs: number }[] } | null;
  readonly alerts: readonly { at: string; code: string; level: string; day: string | null; message: string }[];
  /** The air gap as journaled: configured, armed now, since when, attempts refused (the last one named). */
  readonly airgap: { enabled: boolean; window: string | null; armed: boolean; since: string | null; blocked: number; lastBlocked: string | null };
}


/**
 * What a service journal says now, read-only (a running service is not disturbed: SQLite readers
 * do not block its writer), with whether its lock's holder runs. Positions' sellable quantity is
 * for the day the service has reached (T+1: that day's buys are not sellable).
 */
export async function serviceStatus(journalPath: string, key: JournalKey | undefined): Promise<ServiceStatus> {
  const r = await readJournalFile(journalPath, key);
  if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.journal);
  const events = r.right;
  const lock = readLock(`${journalPath}.lock`);
  const running = lock !== null && isHolderAlive(lock);
  // The projections and the execution index are all it needs: no strategy or indicator state is folded.
  let projections = emptyProjections, exec = emptyExecution;
  let mode: string | null = null, day: string | null = null, step: string | null = null;
  let recon: ServiceStatus['lastReconciliation'] = null;
  const alerts: ServiceStatus['alerts'][number][] = [];
  let airgap: ServiceStatus['airgap'] = { enabled: false, window: null, armed: false, since: null, blocked: 0, lastBlocked: null };
  for (const e of events) {
    projections = evolveProjections(projections, e);
    exec = evolveExecution(exec, e);
    if (e.type === 'RunStarted') {
      mode = e.data.mode;
      const a = e.data.config['airgap'] as { enabled?: boolean; window?: string } | undefined;
      airgap = { ...airgap, enabled: a?.enabled === true, window: a?.window ?? null };
    }
    else if (e.type === 'AirgapArmed') airgap = { ...airgap, armed: true, since: formatExchangeTime(e.occurredAt, true) };
    else if (e.type === 'AirgapDisarmed') airgap = { ...airgap, armed: false, since: formatExchangeTime(e.occurredAt, true) };
    else if (e.type === 'EgressBlocked') airgap = { ...airgap, blocked: airgap.blocked + 1, lastBlocked: `${e.data.kind} ${e.data.target} by ${e.data.caller}` };
    else if (e.type === 'StepCompleted') { day = e.data.day; step = e.data.step; }
    else if (e.type === 'BrokerStateReported') recon = { day: e.data.day, occasion: e.data.occasion, result: 'passed', breaks: [] };
    else if (e.type === 'ReconciliationBreak' && recon !== null) {
      const prev: NonNullable<ServiceStatus['lastReconciliation']> = recon;
      recon = { ...prev, result: 'breaks', breaks: [...prev.breaks, { symbol: e.data.symbol, field: e.data.field, ours: e.data.ours, theirs: e.data.theirs }] };
    }
    else if (e.type === 'AlertRaised') alerts.push({ at: formatExchangeTime(e.occurredAt, true), code: e.data.code, level: e.data.level, day: e.data.day, message: e.data.message });
  }
  const p = projections.portfolio;
  const asOf = (day ?? p.day) as TradingDay | null;
  const last = events[events.length - 1];
  return {
    running, pid: running ? lock!.pid : null, mode, day, step, tradingState: projections.risk.state, cash: p.cashFen / 100,
    positions: [...p.positions.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1)).map((x) => ({
      symbol: x.symbol, quantity: x.qty, sellable: sellableOn(x, asOf), avgCost: Math.round((x.costFen * 10) / x.qty) / 1000,
    })),
    workingOrders: [...projections.orders.open.values()].sort((a, b) => (a.orderId < b.orderId ? -1 : 1)).map((o) => ({
      orderId: o.orderId, clientOrderId: exec.open.get(o.orderId)?.clientOrderId || null, symbol: o.symbol, side: o.side,
      quantity: o.qty, filled: o.filledQty, status: o.status,
    })),
    lastSeq: last?.seq ?? 0, headHash: last?.hash ?? null, anchor: anchored(journalPath), lastReconciliation: recon, alerts: alerts.slice(-20), airgap,
  };
}

/** The status as a few readable lines. */
export function describeStatus(s: ServiceStatus): string {
  const out = [
    `${s.running ? `running (pid ${s.pid})` : 'not running'}; ${s.mode ?? '?'} run at ${s.day ?? '—'} ${s.step ?? ''}; trading ${s.tradingState}`,
    `cash ${s.cash.toFixed(2)} CNY, ${s.positions.length} position(s), ${s.workingOrders.length} working order(s); journal at seq ${s.lastSeq}, `
      + (s.anchor ? `anchored at seq ${s.anchor.seq} (${s.anchor.at})` : 'no head anchor (ashare journal verify explains)'),
    ...s.positions.map((p) => `  ${p.symbol} ${p.quantity} (sellable ${p.sellable}) avg ${p.avgCost.toFixed(3)}`),
    s.airgap.enabled ? `air gap ${s.airgap.armed ? 'ARMED' : 'disarmed'}${s.airgap.since ? ` since ${s.airgap.since}` : ''} (window ${s.airgap.window}); ${s.airgap.blocked} attempt(s) blocked${s.airgap.lastBlocked ? `, last ${s.airgap.lastBlocked}` : ''}` : 'air gap off',
    s.lastReconciliation ? `last reconciliation ${s.lastReconciliation.day} (${s.lastReconciliation.occasion}): ${s.lastReconciliation.result}` : 'no reconciliation yet',
    ...s.alerts.slice(-5).map((a) => `  alert ${a.at} ${a.level} ${a.code}: ${a.message}`),
  ];
  return out.join('\n') + '\n';
}

/** The anchor as stored (ashare journal verify checks its MAC and that the chain reaches it). */
function anchored(journalPath: string): ServiceStatus['anchor'] {
  const a = storedAnchorOf(journalPath);
  return a ? { seq: a.seq, hash: a.hash, at: a.at } : null;
}

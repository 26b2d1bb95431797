import { isLeft } from 'fp-ts/lib/Either.js';
import type { TradingDay } from '../../domain/index.js';
import type { JournalKey } from '../../adapters/journal/index.js';
import { isHolderAlive, readLock } from '../../adapters/lock/lockFile.js';
import { sellableOn } from '../../projections/index.js';
import type { Kernel } from '../engine/index.js';
import { evolveKernel, initialKernel } from '../engine/index.js';
import { AppError, EXIT } from '../errors.js';
import { readJournalFile } from '../journalio/index.js';

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
  readonly lastReconciliation: { day: string; occasion: string; result: 'passed' | 'breaks'; breaks: readonly { symbol: string | null; field: string; ours: number; theirs: number }[] } | null;
  readonly alerts: readonly { at: string; code: string; level: string; day: string | null; message: string }[];
}

const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

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
  // The fold needs no strategy: a no-op one keeps the kernel's own state empty.
  const none = { name: 'status', init: () => null, clone: () => null, onBars: () => null, signals: () => [] } as never;
  let k: Kernel<null> = initialKernel(none);
  let mode: string | null = null, day: string | null = null, step: string | null = null;
  let recon: ServiceStatus['lastReconciliation'] = null;
  const alerts: ServiceStatus['alerts'][number][] = [];
  for (const e of events) {
    k = evolveKernel(k, e, none);
    if (e.type === 'RunStarted') mode = e.data.mode;
    else if (e.type === 'StepCompleted') { day = e.data.day; step = e.data.step; }
    else if (e.type === 'BrokerStateReported') recon = { day: e.data.day, occasion: e.data.occasion, result: 'passed', breaks: [] };
    else if (e.type === 'ReconciliationBreak' && recon !== null) {
      const prev: NonNullable<ServiceStatus['lastReconciliation']> = recon;
      recon = { ...prev, result: 'breaks', breaks: [...prev.breaks, { symbol: e.data.symbol, field: e.data.field, ours: e.data.ours, theirs: e.data.theirs }] };
    }
    else if (e.type === 'AlertRaised') alerts.push({ at: iso(e.occurredAt), code: e.data.code, level: e.data.level, day: e.data.day, message: e.data.message });
  }
  const p = k.projections.portfolio;
  const asOf = (day ?? p.day) as TradingDay | null;
  const last = events[events.length - 1];
  return {
    running, pid: running ? lock!.pid : null, mode, day, step, tradingState: k.projections.risk.state, cash: p.cashFen / 100,
    positions: [...p.positions.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1)).map((x) => ({
      symbol: x.symbol, quantity: x.qty, sellable: sellableOn(x, asOf), avgCost: Math.round((x.costFen * 10) / x.qty) / 1000,
    })),
    workingOrders: [...k.projections.orders.open.values()].sort((a, b) => (a.orderId < b.orderId ? -1 : 1)).map((o) => ({
      orderId: o.orderId, clientOrderId: k.exec.open.get(o.orderId)?.clientOrderId || null, symbol: o.symbol, side: o.side,
      quantity: o.qty, filled: o.filledQty, status: o.status,
    })),
    lastSeq: last?.seq ?? 0, headHash: last?.hash ?? null, lastReconciliation: recon, alerts: alerts.slice(-20),
  };
}

/** The status as a few readable lines. */
export function describeStatus(s: ServiceStatus): string {
  const out = [
    `${s.running ? `running (pid ${s.pid})` : 'not running'}; ${s.mode ?? '?'} run at ${s.day ?? '—'} ${s.step ?? ''}; trading ${s.tradingState}`,
    `cash ${s.cash.toFixed(2)} CNY, ${s.positions.length} position(s), ${s.workingOrders.length} working order(s); journal at seq ${s.lastSeq}`,
    ...s.positions.map((p) => `  ${p.symbol} ${p.quantity} (sellable ${p.sellable}) avg ${p.avgCost.toFixed(3)}`),
    s.lastReconciliation ? `last reconciliation ${s.lastReconciliation.day} (${s.lastReconciliation.occasion}): ${s.lastReconciliation.result}` : 'no reconciliation yet',
    ...s.alerts.slice(-5).map((a) => `  alert ${a.at} ${a.level} ${a.code}: ${a.message}`),
  ];
  return out.join('\n') + '\n';
}

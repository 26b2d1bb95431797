import { isLeft } from 'fp-ts/lib/Either.js';
import type { CommandBody, PendingCommand } from '../../adapters/commands/index.js';
import { pendingCommands, removeCommand } from '../../adapters/commands/index.js';
import { foldAlerts, type AlertView } from '../../domain/alerts/index.js';
import type { Stager } from '../engine/index.js';
import { operatorStep } from '../engine/index.js';
import { asAlertSource, type ServiceSession } from './serviceSession.js';

/** How long a command may wait in the channel (the service was down) before it is refused; engaging the kill switch never expires. */
export const COMMAND_TTL_MS = 5 * 60_000;

export interface OperatorContext<S> {
  readonly s: ServiceSession<S>;
  readonly journalPath: string;
  /** The channel's HMAC key (derived from the journal key); null for a plaintext journal. */
  readonly channelKey: Buffer | null;
  /** Wall time, epoch ms (a command's age is judged in wall time, whatever the service clock). */
  readonly wallNow: () => number;
}

/**
 * Takes the operators' commands waiting in the channel, journals each (OperatorCommandReceived and
 * its effect, or OperatorCommandRejected) and commits, then removes their files — a crash in
 * between leaves a file whose id the journal already holds, removed on the next pass without acting
 * twice. Engaging the kill switch halts trading (TradingStateChanged by `user:<name>`) and asks the
 * broker to cancel every order it is working, journaled before the broker is called.
 */
export async function applyOperatorCommands<S>(oc: OperatorContext<S>, st: Stager<S>): Promise<number> {
  const pending = pendingCommands(oc.journalPath, oc.channelKey);
  if (pending.length === 0) return 0;
  const { s } = oc;
  const done: string[] = [];
  const taken = new Set<string>();
  const cancels: string[] = [];
  for (const p of pending) {
    const id = p.ok ? p.command.commandId : p.commandId;
    if (s.commandIds.has(id) || taken.has(id)) { done.push(p.file); continue; }
    const at = s.clock.now();
    taken.add(id);
    done.push(p.file);
    const why = refusal(oc, st, p);
    if (why !== null) {
      st.stage({ type: 'OperatorCommandRejected', data: { commandId: id, reason: why } }, at);
      s.log.warn(`operator command ${id} refused: ${why}`);
      continue;
    }
    const c = (p as Extract<PendingCommand, { ok: true }>).command;
    st.stage({ type: 'OperatorCommandReceived', data: { commandId: c.commandId, user: c.user, action: c.action, target: c.target, why: c.why, issuedAt: c.issuedAt } }, at);
    s.log.info(`operator command ${c.commandId}: ${c.action}${c.target !== null ? ` ${c.target}` : ''} by ${c.user}`);
    applyOne(oc, st, c, at, cancels);
  }
  await s.commit(st);
  // Marked taken only once durable: after a failed commit the files stay and are taken again, not dropped as done.
  for (const id of taken) s.commandIds.add(id);
  for (const f of done) removeCommand(f);
  for (const clientOrderId of cancels) {
    const r = await s.broker.cancel(clientOrderId, s.clock.now());
    if (isLeft(r)) {
      s.alert(st, 'BROKER_UNAVAILABLE', 'critical', `cannot ask ${s.broker.name} to cancel ${clientOrderId} for the kill switch: ${r.left.message}`);
    }
  }
  await s.commit(st);
  return pending.length;
}

/**
 * Why a command cannot be applied, or null. Judged on the state with what this pass has staged so
 * far (not only what is committed), so commands taken together are judged in order: a second
 * acknowledgement of an alert is refused, a release after an engagement is not.
 */
function refusal<S>(oc: OperatorContext<S>, st: Stager<S>, p: PendingCommand): string | null {
  if (!p.ok) return p.reason;
  const c = p.command;
  const issued = Date.parse(c.issuedAt);
  if (!Number.isFinite(issued)) return `issuedAt ${JSON.stringify(c.issuedAt)} is not a time`;
  if (c.action !== 'kill-switch-engage' && oc.wallNow() - issued > COMMAND_TTL_MS) {
    return `issued at ${c.issuedAt}, more than ${COMMAND_TTL_MS / 60_000} minutes ago: ask again`;
  }
  const state = st.kernel.projections.risk.state;
  switch (c.action) {
    case 'kill-switch-engage':
      return null; // already HALTED: journaled, changes nothing, still cancels whatever works
    case 'kill-switch-release':
      return state === 'HALTED' ? null : `trading is ${state}, not HALTED: nothing to release`;
    case 'alert-ack':
    case 'reconciliation-ack': {
      if (c.target === null) return `${c.action} needs the alert's id`;
      const a = stagedAlert(oc.s, st, c.target);
      if (!a) return `no alert ${c.target} in this journal`;
      if (c.action === 'reconciliation-ack' && a.code !== 'RECONCILIATION_BREAK') return `alert ${c.target} is ${a.code}, not a reconciliation break`;
      if (a.acknowledgedBy !== null) return `alert ${c.target} was already acknowledged by ${a.acknowledgedBy}`;
      if (a.state !== 'active') return `alert ${c.target} is no longer active`;
      return null;
    }
  }
}

/** Alert `id` as the journal will hold it once `st` is committed (the session's fold plus the staged events). */
function stagedAlert<S>(s: ServiceSession<S>, st: Stager<S>, id: number): AlertView | undefined {
  return foldAlerts(st.events.map((e, i) => asAlertSource(e, s.expected + 1 + i)), s.alerts).alerts.get(id);
}

function applyOne<S>(oc: OperatorContext<S>, st: Stager<S>, c: CommandBody, at: number, cancels: string[]): void {
  const sent = operatorStep(st, { commandId: c.commandId, user: c.user, action: c.action, target: c.target, why: c.why, issuedAt: c.issuedAt }, at);
  cancels.push(...sent);
  if (c.action === 'kill-switch-engage') oc.s.log.warn(`kill switch engaged by ${c.user}: trading HALTED, ${sent.length} order(s) asked to be cancelled`);
  else if (c.action === 'kill-switch-release') oc.s.log.warn(`kill switch released by ${c.user}: trading ACTIVE`);
}

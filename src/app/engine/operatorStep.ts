import type { DataOf } from '../../domain/index.js';
import { dayOfMs } from '../../domain/index.js';
import { ordersAtBroker } from '../../projections/index.js';
import { requestedChange } from './riskSteps.js';
import type { Stager } from './stager.js';

/**
 * What an operator's command, once accepted (OperatorCommandReceived is staged before it), does to
 * the run — the same in the service and in an audit replay, which re-decides it from the recorded
 * command: engaging the kill switch halts trading (`by: user:<name>`), cancels outright the orders
 * decided but not yet released and asks the broker to cancel those it is working (journaled here,
 * sent by the caller after the commit); releasing it makes trading ACTIVE again; an acknowledgement
 * is recorded against its alert. Pure over the stager's kernel. Returns the clientOrderIds to cancel.
 */
export function operatorStep<S>(st: Stager<S>, c: DataOf<'OperatorCommandReceived'>, at: number): string[] {
  const by = `user:${c.user}`;
  const day = dayOfMs(at);
  const cancels: string[] = [];
  switch (c.action) {
    case 'kill-switch-engage': {
      const change = requestedChange(st.kernel.projections.risk.state, { to: 'HALTED', by, why: c.why || 'kill switch engaged at the dashboard' }, day, at);
      if (change) st.stage({ type: 'TradingStateChanged', data: change }, at);
      const atBroker = ordersAtBroker(st.kernel.exec);
      for (const o of st.kernel.projections.orders.open.values()) {
        if (o.status === 'approved' && !atBroker.some((x) => x.orderId === o.orderId)) {
          st.stage({ type: 'OrderCancelled', data: { orderId: o.orderId, reason: 'KILL_SWITCH', by, details: 'the kill switch was engaged before the order was released' } }, at);
        }
      }
      for (const x of atBroker) {
        if (x.cancelReason !== null) continue;
        st.stage({ type: 'OrderCancelRequested', data: { orderId: x.orderId, clientOrderId: x.clientOrderId, reason: 'KILL_SWITCH', why: `kill switch engaged by ${c.user}` } }, at);
        cancels.push(x.clientOrderId);
      }
      return cancels;
    }
    case 'kill-switch-release': {
      const change = requestedChange(st.kernel.projections.risk.state, { to: 'ACTIVE', by, why: c.why || 'kill switch released at the dashboard' }, day, at);
      if (change) st.stage({ type: 'TradingStateChanged', data: change }, at);
      return cancels;
    }
    case 'alert-ack':
    case 'reconciliation-ack':
      if (c.target !== null) st.stage({ type: 'AlertAcknowledged', data: { alertSeq: c.target, by: c.user, commandId: c.commandId } }, at);
      return cancels;
  }
}

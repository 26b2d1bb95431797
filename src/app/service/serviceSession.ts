import { isLeft } from 'fp-ts/lib/Either.js';
import type { BrokerPort, DataOf, FeeSplit, Journal, NewEvent, StepName, TradingDay } from '../../domain/index.js';
import { dayOfMs } from '../../domain/index.js';
import { createRandomIds } from '../../adapters/ids/idGenerators.js';
import type { ServiceClock } from '../../adapters/clock/serviceClock.js';
import { ordersAtBroker } from '../../projections/index.js';
import type { EngineRules, Kernel } from '../engine/index.js';
import { answersStep, brokerOrderOf, Stager } from '../engine/index.js';
import { journalAppError } from '../errors.js';
import type { AlertsConfig, AlertSourceEvent, AlertState, AlertView } from '../../domain/alerts/index.js';
import { alertDelta, alertDeltaEvents, DEFAULT_ALERTS_CONFIG, emptyAlertState, evolveAlerts, isEmptyAlertDelta } from '../../domain/alerts/index.js';
import { crashPoint } from './crashPoints.js';
import type { ServiceLog } from './serviceLog.js';

/**
 * What one service process holds while it runs: the journal (it is the only writer), the kernel
 * folded from it, the broker and where reading its answers has got to. Every change goes through
 * `commit`, one journal transaction with the expected version, so the journal always holds whole
 * steps and a second writer is refused rather than interleaved.
 */
export class ServiceSession<S> {
  expected: number;
  headHash: string;
  cursor: string | null = null;
  lastStep: { day: TradingDay; step: StepName } | null = null;
  /** clientOrderIds whose hand-over failed (broker unreachable): asked about and re-sent at each poll. */
  readonly unsent = new Set<string>();
  private brokerDown = false;
  readonly ids = createRandomIds();
  /** Operator commands already journaled (a command file left by a crash is removed, not applied twice). */
  readonly commandIds = new Set<string>();
  /** The alert rules' fold of the journal (domain/alerts): what is raised, cleared, acknowledged. */
  alerts: AlertState = emptyAlertState;
  alertsConfig: AlertsConfig = DEFAULT_ALERTS_CONFIG;
  /** Called with each AlertRaised once it is durable (the alerts.exec notification). */
  onAlertRaised: ((seq: number, alert: DataOf<'AlertRaised'>) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly journal: Journal, public kernel: Kernel<S>, readonly rules: EngineRules<S>, readonly broker: BrokerPort,
    readonly clock: ServiceClock, readonly log: ServiceLog, readonly splitFee: FeeSplit, head: { seq: number; hash: string },
  ) {
    this.expected = head.seq;
    this.headHash = head.hash;
  }

  stager(): Stager<S> {
    return new Stager(this.kernel, this.rules.strategy, { ids: this.ids, clock: this.clock });
  }

  /**
   * Runs `fn` when no other step or command is running: the trading-day steps and the operators'
   * commands share the kernel and the journal's expected version, so they take turns.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Appends what `st` staged as one transaction; the kernel moves on only once it is durable. The
   * alert rules see the batch first: the alerts it raises or clears go into the same transaction.
   */
  async commit(st: Stager<S>): Promise<void> {
    const at = this.clock.now();
    let alerts = this.alerts;
    for (let i = 0; i < st.events.length; i++) alerts = evolveAlerts(alerts, asAlertSource(st.events[i]!, this.expected + 1 + i));
    const delta = alertDelta(alerts, this.alertsConfig, at);
    if (!isEmptyAlertDelta(delta)) {
      for (const e of alertDeltaEvents(delta)) {
        st.stage(e, at);
        alerts = evolveAlerts(alerts, asAlertSource(st.events[st.events.length - 1]!, this.expected + st.events.length));
        if (e.type === 'AlertRaised') this.log[e.data.level === 'critical' ? 'error' : 'warn'](`alert ${e.data.code}: ${e.data.message}`);
        else this.log.info(`alert ${e.data.code} (seq ${e.data.alertSeq}) cleared: ${e.data.why}`);
      }
    }
    const events = st.take();
    if (events.length === 0) return;
    crashPoint('before-commit');
    const r = await this.journal.append(events, this.expected);
    crashPoint('after-commit');
    if (isLeft(r)) throw journalAppError({ code: r.left.code, message: `cannot write the journal: ${r.left.message}` });
    this.expected = r.right.lastSeq;
    this.headHash = r.right.headHash;
    this.kernel = st.kernel;
    this.alerts = alerts;
    if (this.onAlertRaised) {
      events.forEach((e, i) => { if (e.type === 'AlertRaised') this.onAlertRaised!(r.right.firstSeq + i, e.data as DataOf<'AlertRaised'>); });
    }
  }

  /** An alert of this journal by its id (the seq of its AlertRaised). */
  alertById(id: number): AlertView | undefined {
    return this.alerts.alerts.get(id);
  }

  /** Stages an alert (and logs it); the alert rules take it from there (acknowledgement, exec hook). */
  alert(st: Stager<S>, code: string, level: 'warning' | 'critical', message: string): void {
    const at = this.clock.now();
    st.stage({ type: 'AlertRaised', data: { code, level, day: dayOfMs(at), message } }, at);
    this.log[level === 'critical' ? 'error' : 'warn'](`alert ${code}: ${message}`);
  }

  /** Reads the broker's new answers into `st` (the cursor with them); a broker that cannot be reached is alerted once until it answers again. */
  async poll(st: Stager<S>): Promise<void> {
    await this.retryUnsent(st);
    const r = await this.broker.poll(this.cursor);
    if (isLeft(r)) {
      if (!this.brokerDown) this.alert(st, 'BROKER_UNAVAILABLE', 'critical', r.left.message);
      this.brokerDown = true;
      return;
    }
    this.brokerDown = false;
    crashPoint('after-poll');
    const rejected = answersStep(st, { broker: this.broker.name, ...r.right, previousCursor: this.cursor, now: this.clock.now(), splitFee: this.splitFee });
    if (r.right.reports.length > 0) this.log.info(`${r.right.reports.length} answer(s) from ${this.broker.name}${rejected ? `, ${rejected} rejected` : ''}`);
    this.cursor = r.right.cursor;
  }

  /**
   * Hands `clientOrderId` to the broker — after asking it first whenever the order may already be
   * there (a resend is a query first): sent only when the broker does not know it.
   */
  async send(st: Stager<S>, clientOrderId: string, askFirst: boolean, why: string): Promise<void> {
    const o = ordersAtBroker(st.kernel.exec).find((x) => x.clientOrderId === clientOrderId);
    if (!o) return;
    if (askFirst) {
      const q = await this.broker.queryOrder(clientOrderId);
      if (isLeft(q)) { this.unsent.add(clientOrderId); return; }
      if (q.right.state === 'pending') { this.unsent.delete(clientOrderId); return; }
      if (q.right.state === 'reported') {
        this.unsent.delete(clientOrderId);
        answersStep(st, { broker: this.broker.name, reports: [q.right.report], problems: [], cursor: null, previousCursor: null, now: this.clock.now(), splitFee: this.splitFee });
        return;
      }
      st.stage({ type: 'OrderResent', data: { orderId: o.orderId, clientOrderId, why } }, this.clock.now());
      await this.commit(st); // the intent to send again is on the journal before the broker is called
    }
    crashPoint('before-submit');
    const sent = await this.broker.submit(brokerOrderOf(o.request, clientOrderId, this.clock.now()));
    crashPoint('after-submit');
    if (isLeft(sent)) {
      if (sent.left.code === 'BROKER_DUPLICATE_ORDER') { this.unsent.delete(clientOrderId); return; }
      this.unsent.add(clientOrderId);
      this.alert(st, 'BROKER_UNAVAILABLE', 'critical', `order ${o.orderId} (${clientOrderId}) could not be handed over: ${sent.left.message}; it will be asked about and sent again`);
      return;
    }
    this.unsent.delete(clientOrderId);
  }

  private async retryUnsent(st: Stager<S>): Promise<void> {
    for (const id of [...this.unsent]) await this.send(st, id, true, 'its hand-over failed earlier');
  }
}

/** A staged event as the alert rules read it, with the seq the append will give it. */
export const asAlertSource = (e: NewEvent, seq: number): AlertSourceEvent =>
  ({ seq, occurredAt: e.occurredAt, type: e.type, data: e.data }) as AlertSourceEvent;

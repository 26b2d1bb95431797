import type { BlockedAttempt } from '../../adapters/net/egressGuard.js';
import { egressGuard } from '../../adapters/net/egressGuard.js';
import type { AirgapConfig, AirgapWindow, Endpoint, TradingCalendar } from '../../domain/index.js';
import { airgapArmedAt, dayOfMs, parseAirgapWindow, parseEndpoint } from '../../domain/index.js';
import type { ServiceSession } from './serviceSession.js';

/** How many EgressBlocked events one window may journal: beyond it attempts are only counted (AirgapDisarmed.blocked). */
const MAX_JOURNALED_PER_WINDOW = 200;

/**
 * The service's side of the air gap: arms the process's egress guard when the window opens and
 * disarms it when it closes (journaling AirgapArmed / AirgapDisarmed), and journals each refused
 * attempt as EgressBlocked {target, caller, kind} — once per target and caller in a window, the
 * rest counted — which the alert rules turn into EGRESS_BLOCKED. Trading goes on.
 */
export class ServiceAirgap {
  private readonly window: AirgapWindow;
  private readonly allow: Endpoint[];
  private readonly pending: BlockedAttempt[] = [];
  private readonly seen = new Set<string>();
  private blockedAtArm = 0;
  /** As the journal says (AirgapArmed not yet followed by AirgapDisarmed). */
  journaledArmed = false;

  constructor(private readonly config: AirgapConfig, private readonly calendar: TradingCalendar) {
    this.window = parseAirgapWindow(config.window) as AirgapWindow;
    this.allow = config.allow.map((s) => parseEndpoint(s) as Endpoint);
    egressGuard().onBlocked((a) => this.pending.push(a));
  }

  get windowText(): string {
    return this.window.text;
  }

  /** Whether work that needs the network (a data update) would be refused at `ms`. */
  armedAt(ms: number): boolean {
    return airgapArmedAt(ms, this.window, this.calendar);
  }

  /** Arms or disarms the guard for the instant `at` and stages the transition; stages the refused attempts. */
  sync<S>(s: ServiceSession<S>, st: ReturnType<ServiceSession<S>['stager']>, at: number): void {
    const guard = egressGuard();
    const want = this.armedAt(at);
    if (want && !guard.armed) {
      guard.arm(this.allow);
      this.blockedAtArm = guard.blockedCount;
      this.seen.clear();
      if (!this.journaledArmed) {
        st.stage({ type: 'AirgapArmed', data: { day: dayOfMs(at), window: this.window.text, allow: [...this.config.allow] } }, at);
        s.log.info(`air gap armed (${this.window.text}): only ${this.config.allow.length ? this.config.allow.join(', ') : 'nothing'} reachable`);
      }
      this.journaledArmed = true;
    }
    this.stageBlocked(s, st, at);
    if (!want && (guard.armed || this.journaledArmed)) {
      guard.disarm();
      st.stage({ type: 'AirgapDisarmed', data: { day: dayOfMs(at), window: this.window.text, blocked: guard.blockedCount - this.blockedAtArm } }, at);
      s.log.info(`air gap disarmed: ${guard.blockedCount - this.blockedAtArm} attempt(s) refused in the window`);
      this.journaledArmed = false;
    }
  }

  private stageBlocked<S>(s: ServiceSession<S>, st: ReturnType<ServiceSession<S>['stager']>, at: number): void {
    for (const a of this.pending.splice(0, this.pending.length)) {
      const key = `${a.kind} ${a.target} ${a.caller}`;
      if (this.seen.has(key) || this.seen.size >= MAX_JOURNALED_PER_WINDOW) continue;
      this.seen.add(key);
      st.stage({ type: 'EgressBlocked', data: { target: a.target.slice(0, 300), caller: a.caller.slice(0, 300), kind: a.kind } }, at);
      s.log.warn(`egress blocked: ${a.kind} ${a.target} by ${a.caller}`);
    }
  }
}

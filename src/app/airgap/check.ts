import { egressGuard, formatEndpoint, type BlockedAttempt, type Endpoint } from '../../adapters/net/egressGuard.js';
import type { TradingCalendar } from '../../domain/calendar/tradingCalendar.js';
import type { AirgapConfig, AirgapWindow } from '../../domain/schedule/airgap.js';
import { airgapArmedAt } from '../../domain/schedule/airgap.js';
import { dayOfMs, formatExchangeTime, type TradingDay } from '../../domain/tradingDay.js';
import { fileChecks, type FileCheckPaths } from './fileChecks.js';
import { listenersCheck } from './listeners.js';
import { GUARD_CODE, tryConnect, tryLookup, type ProbeResult } from './probes.js';

/*
 * `ashare airgap check`: the air gap's state proved, not asserted. The process installs the same
 * egress guard the service runs under, arms it with the config's allow list when the window is open
 * at the instant asked about, and then really attempts what a stray dependency would (outside
 * addresses, DNS) and what the person asks for (--try), next to the checks at rest: listeners
 * (loopback or TLS only), encrypted files, owner-only modes, and the config itself.
 */

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface TargetResult {
  /** As given: the --try text, or the allow entry. */
  readonly target: string;
  readonly source: 'try' | 'allow';
  /** Whether the guard lets a connection to it through at that moment (always, when not armed). */
  readonly allowed: boolean;
  /** Whether the TCP connection actually opened. */
  readonly reached: boolean;
  readonly detail: string;
}

export interface AirgapReport {
  readonly ok: boolean;
  readonly armed: boolean;
  /** The instant checked, exchange time with its offset. */
  readonly at: string;
  readonly window: string;
  readonly checks: readonly CheckResult[];
  readonly targets: readonly TargetResult[];
}

/** A `--try` target: what was given and where it connects. */
export interface TryTarget extends Endpoint {
  readonly text: string;
}

export interface AirgapCheckInput extends FileCheckPaths {
  readonly airgap: AirgapConfig;
  readonly window: AirgapWindow;
  readonly calendar: TradingCalendar;
  readonly atMs: number;
  readonly tries: readonly TryTarget[];
  readonly allow: readonly Endpoint[];
  /** Per attempt (default 2000 ms). */
  readonly timeoutMs?: number;
}

/** Outside addresses a stray dependency might reach: public DNS resolvers (AliDNS, Cloudflare). */
export const OUTSIDE_ADDRESSES: readonly Endpoint[] = [{ host: '223.5.5.5', port: 53 }, { host: '1.1.1.1', port: 443 }];
/** Names looked up: a search engine and the market-data provider the data pipeline calls. */
export const OUTSIDE_NAMES: readonly string[] = ['www.baidu.com', 'dataapi.joinquant.com'];

const CALLER = 'ashare airgap check';

/** Why the guard is not armed at `ms` (when it is not). */
function whyNotArmed(i: AirgapCheckInput): string {
  if (!i.airgap.enabled) return 'airgap.enabled is false';
  const day = dayOfMs(i.atMs) as TradingDay;
  let trading = true;
  try { trading = i.calendar.isTradingDay(day); } catch { /* beyond the calendar: armed (fail safe), so not this reason */ }
  return trading ? `${formatExchangeTime(i.atMs)} is outside the window ${i.window.text}` : `${day} is not a trading day`;
}

interface Attempt { readonly label: string; readonly r: ProbeResult }
const listed = (results: readonly Attempt[]): string => results.map(({ label, r }) => `${label} ${r.detail}`).join('; ');

/**
 * Inside the window every attempt must be the guard's refusal, reported to its listeners (the
 * service journals EgressBlocked from them); outside it, what happened is reported.
 */
function refusalCheck(name: string, noun: string, armed: boolean, notArmed: string, results: Attempt[], heard: (label: string) => boolean, skipped: string[]): CheckResult {
  const skip = skipped.length > 0 ? ` (not tried, being on airgap.allow: ${skipped.join(', ')})` : '';
  if (results.length === 0) return { name, ok: true, detail: `nothing to try${skip}` };
  if (!armed) {
    const offline = results.some(({ r }) => !r.ok) ? ' (this machine may have no network)' : '';
    return { name, ok: true, detail: `not armed (${notArmed}): the guard lets ${noun} through; ${listed(results)}${offline}${skip}` };
  }
  const through = results.filter(({ r }) => r.code !== GUARD_CODE);
  if (through.length > 0) {
    return {
      name, ok: false,
      detail: `armed, yet the guard let ${noun} through: ${through.map(({ label, r }) => `${label} (${r.ok ? 'it succeeded' : `${r.detail}: refused by the network, not by the guard`})`).join('; ')}${skip}`,
    };
  }
  const unheard = results.filter(({ label }) => !heard(label));
  if (unheard.length > 0) return { name, ok: false, detail: `refused, but the guard's listeners never heard of ${unheard.map((x) => x.label).join(', ')}: the service would not journal it${skip}` };
  return { name, ok: true, detail: `refused by the guard before anything left the process, and reported as EgressBlocked would be: ${results.map((x) => x.label).join(', ')}${skip}` };
}

async function networkChecks(i: AirgapCheckInput, armed: boolean, ms: number): Promise<{ checks: CheckResult[]; targets: TargetResult[] }> {
  const guard = egressGuard();
  const onList = (host: string, port?: number) => i.allow.some((e) => e.host === host.toLowerCase() && (port === undefined || e.port === port));
  const notArmed = armed ? '' : whyNotArmed(i);
  const blocked: BlockedAttempt[] = [];
  const stop = guard.onBlocked((a) => blocked.push(a));
  try {
    return await guard.withCaller(CALLER, async () => {
      const addrs = OUTSIDE_ADDRESSES.filter((e) => !onList(e.host, e.port));
      const names = OUTSIDE_NAMES.filter((n) => !onList(n));
      const [connects, lookups, tries, allows] = await Promise.all([
        Promise.all(addrs.map(async (e) => ({ label: formatEndpoint(e.host, e.port), r: await tryConnect(e.host, e.port, ms) }))),
        Promise.all(names.map(async (n) => ({ label: n, r: await tryLookup(n, ms) }))),
        Promise.all(i.tries.map(async (t) => ({ t, allowed: guard.allowsConnect(t.host, t.port), r: await tryConnect(t.host, t.port, ms) }))),
        Promise.all(i.allow.map(async (e) => ({ t: { ...e, text: formatEndpoint(e.host, e.port) }, allowed: guard.allowsConnect(e.host, e.port), r: await tryConnect(e.host, e.port, ms) }))),
      ]);
      const target = (source: TargetResult['source']) => (x: (typeof tries)[number]): TargetResult => ({ target: x.t.text, source, allowed: x.allowed, reached: x.r.ok, detail: x.r.detail });
      const targets = [...tries.map(target('try')), ...allows.map(target('allow'))];
      const heard = (label: string) => blocked.some((b) => b.target === label && b.caller === CALLER);
      const checks = [
        refusalCheck('outside-connect', 'connections', armed, notArmed, connects, heard, OUTSIDE_ADDRESSES.filter((e) => onList(e.host, e.port)).map((e) => formatEndpoint(e.host, e.port))),
        refusalCheck('outside-dns', 'look-ups', armed, notArmed, lookups, heard, OUTSIDE_NAMES.filter((n) => onList(n))),
        tryTargetsCheck(targets.filter((t) => t.source === 'try'), armed, notArmed),
        allowListCheck(targets.filter((t) => t.source === 'allow')),
      ];
      return { checks, targets };
    });
  } finally {
    stop();
  }
}

function tryTargetsCheck(targets: TargetResult[], armed: boolean, notArmed: string): CheckResult {
  const name = 'try-targets';
  if (targets.length === 0) return { name, ok: true, detail: 'no --try targets given' };
  const each = targets.map((t) => `${t.target} ${t.allowed ? 'allowed' : 'not allowed'}, ${t.reached ? 'reached' : `not reached (${t.detail})`}`).join('; ');
  if (!armed) return { name, ok: true, detail: `not armed (${notArmed}): ${each}` };
  const leaks = targets.filter((t) => t.reached && !t.allowed);
  if (leaks.length > 0) return { name, ok: false, detail: `reached although not on airgap.allow: ${leaks.map((t) => t.target).join(', ')} — ${each}` };
  return { name, ok: true, detail: `no target off airgap.allow was reached: ${each}` };
}

function allowListCheck(targets: TargetResult[]): CheckResult {
  const name = 'allow-list';
  if (targets.length === 0) return { name, ok: true, detail: 'airgap.allow is empty: inside the window the process reaches no endpoint at all (no external broker)' };
  const down = targets.filter((t) => !t.reached);
  const each = targets.map((t) => `${t.target} ${t.reached ? 'reached' : `not reached (${t.detail})`}`).join('; ');
  return { name, ok: true, detail: down.length === 0 ? `every endpoint on airgap.allow answered: ${each}` : `${each} — an endpoint that is down now (the broker closed?) is reported, not failed` };
}

/** Runs every check as at `atMs`; the guard is left as it was found. */
export async function runAirgapCheck(i: AirgapCheckInput): Promise<AirgapReport> {
  const guard = egressGuard();
  const before = { armed: guard.armed, allow: guard.allow };
  const armed = i.airgap.enabled && airgapArmedAt(i.atMs, i.window, i.calendar);
  const ms = i.timeoutMs ?? 2000;
  try {
    // Listeners are probed with the guard disarmed: armed, it would refuse the probes of any local
    // listener not on the allow list (it cannot tell a local probe from egress), proving nothing.
    guard.disarm();
    const listeners = await listenersCheck(process.getuid?.() ?? -1, ms);
    const files = fileChecks(i);
    if (armed) guard.arm(i.allow);
    const net = await networkChecks(i, armed, ms);
    const config: CheckResult = i.airgap.enabled
      ? { name: 'config', ok: true, detail: `airgap.enabled: the guard is armed ${i.window.text} Asia/Shanghai on trading days, allowing ${i.allow.length} endpoint(s)` }
      : { name: 'config', ok: false, detail: 'airgap.enabled is false: nothing is enforced' };
    const checks = [config, ...net.checks, listeners, ...files];
    return { ok: checks.every((c) => c.ok), armed, at: formatExchangeTime(i.atMs), window: i.window.text, checks, targets: net.targets };
  } finally {
    if (before.armed) guard.arm(before.allow);
    else guard.disarm();
  }
}

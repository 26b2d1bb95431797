import type { DataOf, DomainEvent, StoredEvent, TradingCalendar, TradingDay } from '../../domain/index.js';
import { canonicalJson } from '../../domain/index.js';
import { isPolicy } from '../../domain/risk/tradingState.js';
import { createReplayClock } from '../../adapters/clock/clocks.js';
import { createDeterministicIds } from '../../adapters/ids/idGenerators.js';
import { projectionHash } from '../../projections/index.js';
import type { EngineRules } from './closeStep.js';
import { closeStep } from './closeStep.js';
import type { Kernel } from './kernel.js';
import { evolveKernel, forkKernel, initialKernel } from './kernel.js';
import { lastDecisionDayOf, releaseStep } from './releaseStep.js';
import { operatorStep } from './operatorStep.js';
import type { ReconcilePolicy } from './reconcileStep.js';
import { reconcileStep, reconcileWhy } from './reconcileStep.js';
import type { StateRequest } from './riskSteps.js';
import { Stager } from './stager.js';
import { findSegments, isDecisionEvent, type Segment } from './segments.js';

/** A stored event whose `type`/`data` have been validated as a `DomainEvent`. */
export type RecordedEvent = StoredEvent & DomainEvent;

export interface ReplayDiff {
  /** Position among the day's recorded events (or, for a decision recorded nowhere, among the replayed). */
  readonly index: number;
  readonly seq: number | null;
  readonly recorded: { type: string; data: unknown } | null;
  readonly replayed: { type: string; data: unknown } | null;
}

export interface DayReplay {
  readonly day: string;
  readonly events: number;
  readonly diffs: number;
  readonly details: readonly ReplayDiff[];
  /** Projection hash after the day, with its decisions as re-decided (null when not asked for). */
  readonly projectionHash: string | null;
}

/** A journal this release cannot re-decide; `code` is stable. */
export class ReplayError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The trading-state changes a person made in the step (the kill switch), replayed as recorded
 * requests. The engine's own changes — a limit's (`risk:*`) and the re-activation policy's
 * (`policy:*`) — are not requests: the step re-derives them.
 */
const personRequests = (events: readonly RecordedEvent[]): StateRequest[] =>
  events.flatMap((e) => (e.type === 'TradingStateChanged' && !e.data.by.startsWith('risk:') && !isPolicy(e.data.by) ? [{ to: e.data.to, by: e.data.by, why: e.data.why }] : []));

/** Re-runs one recorded step on `k` (a fork) and returns what the deciders decide now. */
function redecide<S>(seg: Segment<RecordedEvent>, st: Stager<S>, rules: EngineRules<S>, calendar: TradingCalendar, policy: ReconcilePolicy): void {
  const ev = seg.events;
  const day = seg.day as TradingDay;
  if (seg.kind === 'release') {
    const first = ev[0]!;
    const broker = ev.find((e) => e.type === 'OrderSubmitted');
    releaseStep(st, day, lastDecisionDayOf(day, calendar, null), broker?.type === 'OrderSubmitted' ? broker.data.broker : 'replay', first.occurredAt);
  } else if (seg.kind === 'close') {
    const barsAt = ev.findIndex((e) => e.type === 'BarsClosed');
    const bars = ev[barsAt]!;
    const after = ev[barsAt + 1];
    if (bars.type !== 'BarsClosed') return;
    closeStep(st, rules, {
      bars: bars.data, marketEvents: ev.slice(0, barsAt), closeAt: bars.occurredAt, at: after ? after.occurredAt : bars.occurredAt,
      requests: personRequests(ev),
    });
  } else if (seg.kind === 'operator') {
    const c = ev[0]!;
    if (c.type !== 'OperatorCommandReceived') return;
    st.stage(c, c.occurredAt); // the command is an input, folded as recorded; what it does is re-decided
    operatorStep(st, c.data, c.occurredAt);
  } else if (seg.kind === 'reconcile') {
    const r = ev[0]!;
    if (r.type === 'BrokerStateReported') reconcileStep(st, r.data, policy, r.occurredAt, reconcileWhy(r.data.occasion));
  } else {
    for (const e of ev) st.stage(e, e.occurredAt);
  }
}

function compare(recorded: readonly RecordedEvent[], replayed: readonly { type: string; data: unknown }[], offset: (e: RecordedEvent) => number): ReplayDiff[] {
  const diffs: ReplayDiff[] = [];
  for (let i = 0; i < Math.max(recorded.length, replayed.length); i++) {
    const r = recorded[i], p = replayed[i];
    // The same object is the same data (a step re-stages its recorded inputs, such as the day's bars, as they are).
    if (r && p && r.type === p.type && (r.data === p.data || canonicalJson(r.data) === canonicalJson(p.data))) continue;
    diffs.push({ index: r ? offset(r) : -1, seq: r?.seq ?? null, recorded: r ? { type: r.type, data: r.data } : null, replayed: p ? { type: p.type, data: p.data } : null });
  }
  return diffs;
}

/**
 * Audit replay: walks the journal in seq order; every input (broker answers, the broker's account
 * report, service records) is folded as recorded, and every recorded step that decides — the
 * release of orders, the after-close decisions, a reconciliation — is re-run through the same step
 * functions as the live loop on the state folded so far, and what they decide now is compared with
 * what was recorded. A decision recorded outside any step is itself a difference. The state
 * carried on is always the fold of what was RECORDED, so each step is judged against the history
 * the journal holds. `days = null` replays every day.
 */
export async function replayJournal<S>(
  events: readonly RecordedEvent[], makeRules: (run: DataOf<'RunStarted'>) => EngineRules<S>, days: ReadonlySet<string> | null,
  /** Sees each replayed day's recorded and re-decided events (the audit compares decisions with it). */
  onDay?: (day: string, recorded: readonly RecordedEvent[], replayed: readonly { type: string; data: unknown }[]) => void,
  /** false: no per-day projection hash (`projectionHash` null), for a caller that does not print them (the audit). */
  hashes = true,
): Promise<DayReplay[]> {
  const first = events[0];
  if (!first || first.type !== 'RunStarted') throw new ReplayError('REPLAY_NOT_A_RUN', 'the journal does not start with RunStarted');
  if (events.some((e) => e.type === 'OrderSubmitted' && e.schemaVersion < 2)) {
    throw new ReplayError('REPLAY_OLD_JOURNAL', 'it was written before the trading day was split into steps (issue 11: orders now go to the broker at the next open), so this release cannot re-decide its days; replay it with the release that wrote it');
  }
  const rules = makeRules(first.data);
  const policy: ReconcilePolicy = (first.data.config['reconciliation'] as { policy?: ReconcilePolicy } | undefined)?.policy ?? 'halt';
  const calendar = rules.marketRules.calendar;
  const rest = events.slice(1);
  const segments = findSegments(rest);
  const byDay = new Map<string, RecordedEvent[]>();
  for (const e of rest) {
    const a = byDay.get(e.day);
    if (a) a.push(e);
    else byDay.set(e.day, [e]);
  }
  const indexInDay = new Map<RecordedEvent, number>();
  for (const list of byDay.values()) list.forEach((e, i) => indexInDay.set(e, i));
  const offset = (e: RecordedEvent) => indexInDay.get(e) ?? -1;

  let k: Kernel<S> = evolveKernel(initialKernel(rules.strategy, rules.risk?.config.stops.atrPeriod), first, rules.strategy);
  // `end`: the day's last projections (persistent, shared with the next day's), not its kernel, whose
  // owned state (indicators) a day that adopts its re-decided copy would otherwise keep alive. Kept
  // only while the day may still need it for its hash: not once its close has been hashed, and never
  // without hashes (the audit) — a day's projections kept for nothing, over a five-year run, were
  // most of the replay's old generation for the garbage collector to walk.
  type DayState = { replayed: { type: string; data: unknown }[]; details: ReplayDiff[]; hash: string | null; end: Kernel<S>['projections'] | null };
  const state = new Map<string, DayState>();
  const dayState = (day: string): DayState | null => {
    if (days !== null && !days.has(day)) return null;
    let d = state.get(day);
    if (!d) state.set(day, (d = { replayed: [], details: [], hash: null, end: null }));
    return d;
  };
  const keepEnd = (d: DayState): void => {
    d.end = hashes && d.hash === null ? k.projections : null;
  };
  let segAt = 0;
  for (let i = 0; i < rest.length;) {
    const e = rest[i]!;
    const seg = segments[segAt];
    if (seg && seg.start === i) {
      segAt++;
      const d = dayState(seg.day);
      let same: Kernel<S> | null = null;
      if (d) {
        // Steps that fold bars change the kernel's owned state (indicators, adjustment): they run on a copy.
        const forked = seg.kind === 'close' || seg.kind === 'warmup';
        const base = forked ? forkKernel(k, rules.strategy) : k;
        const st = new Stager(base, rules.strategy, { ids: createDeterministicIds(`replay:${seg.day}:${i}`), clock: createReplayClock() });
        redecide(seg, st, rules, calendar, policy);
        const again = st.events.map((x) => ({ type: x.type, data: x.data }));
        d.replayed.push(...again);
        const diffs = compare(seg.events, again, offset);
        d.details.push(...diffs);
        if (seg.kind === 'close' && hashes) d.hash = projectionHash(st.kernel.projections);
        // Re-decided exactly as recorded (same events, same data, in order): the copy has folded what
        // the journal holds, so it is the recorded fold and the step's bars are not folded twice.
        if (forked && diffs.length === 0) same = st.kernel;
      }
      if (same !== null) k = same;
      else for (const x of seg.events) k = evolveKernel(k, x, rules.strategy);
      if (d) keepEnd(d);
      i += seg.events.length;
      continue;
    }
    const d = dayState(e.day);
    if (d && isDecisionEvent(e)) d.details.push({ index: offset(e), seq: e.seq, recorded: { type: e.type, data: e.data }, replayed: null });
    k = evolveKernel(k, e, rules.strategy);
    if (d) keepEnd(d);
    i++;
  }
  const out: DayReplay[] = [];
  for (const day of [...state.keys()].sort()) {
    const d = state.get(day)!;
    const recorded = byDay.get(day) ?? [];
    onDay?.(day, recorded, d.replayed);
    out.push({ day, events: recorded.length, diffs: d.details.length, details: d.details, projectionHash: d.hash ?? (hashes && d.end !== null ? projectionHash(d.end) : null) });
  }
  return out;
}

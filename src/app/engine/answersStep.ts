import type { BrokerMessageProblem, BrokerReport, FeeSplit, MarketRules, AccountFees, Side, TradingDay } from '../../domain/index.js';
import { dayOfMs, eventsOfReport } from '../../domain/index.js';
import { execViewOf } from '../../projections/index.js';
import type { Stager } from './stager.js';

export interface AnswersInput {
  readonly broker: string;
  readonly reports: readonly BrokerReport[];
  readonly problems: readonly BrokerMessageProblem[];
  /** The cursor after these reports; journaled when it moved (null: do not journal it, e.g. a query's answer). */
  readonly cursor: string | null;
  readonly previousCursor: string | null;
  /** Now (the clock's), epoch ms: the time of answers that carry none, and the latest an answer may claim. */
  readonly now: number;
  readonly splitFee: FeeSplit;
}

const raw = (r: unknown): string => JSON.stringify(r).slice(0, 500);

/**
 * The broker's answers, journaled the moment they are read: each report becomes the events it adds
 * to what the journal holds (see eventsOfReport); a report that contradicts the journal and a
 * message the adapter could not read become BrokerMessageRejected with an alert — the service goes
 * on. The cursor goes into the same batch, so a restart continues exactly after the last answer
 * applied. Returns how many messages were rejected.
 */
export function answersStep<S>(st: Stager<S>, a: AnswersInput): number {
  let rejected = 0;
  const reject = (source: string, reason: string, text: string, at: number) => {
    rejected++;
    st.stage({ type: 'BrokerMessageRejected', data: { broker: a.broker, source, reason, raw: text } }, at);
    st.stage({ type: 'AlertRaised', data: { code: 'BROKER_MESSAGE_REJECTED', level: 'warning', day: dayOfMs(at), message: `${source}: ${reason}` } }, at);
  };
  for (const r of a.reports) {
    const at = r.at === null ? a.now : Math.min(r.at, a.now);
    if (r.kind === 'corporate') {
      st.stage(r.event, at);
      continue;
    }
    const out = eventsOfReport(execViewOf(st.kernel.exec, r.clientOrderId), r, dayOfMs(at), a.splitFee);
    if (out.kind === 'problem') reject(`report for ${r.clientOrderId}`, `the broker ${out.reason}`, raw(r), at);
    else for (const e of out.events) st.stage(e, at);
  }
  for (const p of a.problems) reject(p.source, p.reason, p.raw.slice(0, 500), a.now);
  if (a.cursor !== null && a.cursor !== a.previousCursor) {
    st.stage({ type: 'BrokerAnswersRead', data: { broker: a.broker, cursor: a.cursor, reports: a.reports.length } }, a.now);
  }
  return rejected;
}

/**
 * A broker's single fee figure split into the journal's fee fields: stamp duty and transfer fee as
 * the dated tables charge them on this fill (capped by the broker's fee), the rest commission.
 */
export function feeSplitFrom(rules: MarketRules, account: AccountFees): FeeSplit {
  return (side: Side, symbol: string, notionalFen: number, feeFen: number, day: string) => {
    let stamp = 0, transfer = 0;
    try {
      const f = rules.fees({ side, symbol: symbol as never, day: day as TradingDay, notionalFen, account, previousRawCommissionFen: null });
      stamp = Math.min(feeFen, f.stampDutyFen);
      transfer = Math.min(feeFen - stamp, f.transferFeeFen);
    } catch { /* no fee rule for this instrument: all of it is commission */ }
    return { commissionFen: feeFen - stamp - transfer, stampDutyFen: stamp, transferFeeFen: transfer, otherFeesFen: 0 };
  };
}

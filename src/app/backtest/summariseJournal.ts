import type { SummaryMetrics } from '../../domain/index.js';
import type { Projections } from '../../projections/index.js';
import { foldProjections } from '../../projections/index.js';
import { ReportFold } from '../report/buildReport.js';
import type { ReportTrade } from '../../adapters/report/htmlReport.js';
import type { RecordedEvent } from '../engine/replay.js';

export interface JournalSummary {
  readonly projections: Projections;
  readonly projectionHash: string;
  readonly symbols: number;
  readonly days: number;
  readonly events: number;
  readonly metrics: SummaryMetrics & { readonly trades: number; readonly feesFen: number };
  readonly trades: readonly ReportTrade[];
  /** Buys the disclosure rule denied because the symbol's issued shares were unknown (bare bars, no instruments file). */
  readonly deniedForUnknownIssuedShares: number;
}

/** Everything a summary or report shows, rebuilt from the journal's events alone. */
export function summariseJournal(events: readonly RecordedEvent[]): JournalSummary {
  const f = new ReportFold();
  for (const e of events) f.add(e);
  return f.summary(foldProjections(events));
}

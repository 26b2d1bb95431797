import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../../src/adapters/report/htmlReport.js';
import { renderReportHtml } from '../../../src/adapters/report/reportHtml.js';
import { NO_RISK } from '../../../src/adapters/report/reportRisk.js';
import type { RecordedEvent } from '../../../src/app/engine/replay.js';
import { buildReport, summariseRisk } from '../../../src/app/report/index.js';
import { DomainEvent } from '../../../src/domain/index.js';

const D1 = '2024-01-02', D2 = '2024-01-03';
const SYM = '600000.SH';

/** A hand-made journal: each payload parsed by its event schema; the envelope is filler (no chain check here). */
function journal(items: readonly { type: string; data: Record<string, unknown> }[]): RecordedEvent[] {
  return items.map((it, i) => {
    const e = DomainEvent.parse(it);
    const day = 'day' in e.data && typeof e.data.day === 'string' ? e.data.day : D1;
    const at = Date.parse(`${day}T15:00:00+08:00`) + i;
    return {
      ...e, seq: i + 1, eventId: `e${i + 1}`, stream: 'run', schemaVersion: e.type === 'OrderDenied' ? 2 : 1, occurredAt: at, recordedAt: at,
      causationId: null, correlationId: null, day, prevHash: String(i).padStart(64, '0'), hash: String(i + 1).padStart(64, '0'),
    } as RecordedEvent;
  });
}

const bars = (day: string, close: number) => ({
  type: 'BarsClosed',
  data: { day, symbols: [SYM], open: [close], high: [close], low: [close], close: [close], volume: [1_000_000], amountFen: [1_000_000_000], preClose: [10_000], isSt: [0] },
});
const requested = (orderId: string, day: string, side: 'buy' | 'sell') => ({
  type: 'OrderRequested',
  data: { orderId, day, symbol: SYM, side, qty: 100, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null },
});
const dayClosed = (day: string) => ({ type: 'DayClosed', data: { day, cashFen: 10_000_000, positionsValueFen: 0, equityFen: 10_000_000, positions: 0 } });
const WHY = 'drawdown 10.88% reached the 10.00% limit <script>alert(1)</script>';

const EVENTS = journal([
  {
    type: 'RunStarted',
    data: {
      runId: 'r1', mode: 'backtest', config: { name: 'risk-fixture' }, configHash: 'c'.repeat(64),
      dataSource: { kind: 'synthetic', description: 'hand-made', path: null, sha256: null }, codeVersion: 'test', initialCashFen: 10_000_000,
    },
  },
  bars(D1, 10_000),
  requested('o1', D1, 'buy'), { type: 'OrderApproved', data: { orderId: 'o1', ruleVersion: 'risk@1', reservedFen: 100_500 } },
  requested('o2', D1, 'buy'),
  { type: 'OrderDenied', data: { orderId: 'o2', reason: 'POSITION_SIZE', rule: 'positionSize', details: 'over 5%', ruleVersion: 'risk@1' } },
  requested('o3', D1, 'buy'),
  { type: 'OrderDenied', data: { orderId: 'o3', reason: 'ST_NOT_ALLOWED', rule: 'stFilter', details: 'ST', ruleVersion: 'risk@2' } },
  dayClosed(D1),
  { type: 'TradingStateChanged', data: { day: D1, from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: WHY } },
  bars(D2, 9_000),
  { type: 'StopTriggered', data: { day: D2, symbol: SYM, kind: 'FIXED', triggerPrice: 9_200, qty: 100, blockedBy: 'T1', reason: 'fixed stop 8%' } },
  { type: 'StopTriggered', data: { day: D2, symbol: SYM, kind: 'TRAILING', triggerPrice: 9_100, qty: 100, blockedBy: null, reason: 'trailing 10%' } },
  dayClosed(D2),
]);

describe('the report risk section, folded from the journal', () => {
  const { input } = buildReport(EVENTS, { journalPath: '/tmp/risk.sqlite' });
  const dir = mkdtempSync(join(tmpdir(), 'ashare-report-risk-'));
  const written = writeReport(dir, input);
  if (written._tag === 'Left') throw new Error(written.left.message);
  const html = readFileSync(written.right, 'utf8');

  it('counts decisions, denials by rule and reason, state changes, stops and rule versions', () => {
    expect(input.risk).toEqual({
      decisions: 3, approved: 1, denied: 2,
      deniedBy: [{ rule: 'positionSize', reason: 'POSITION_SIZE', count: 1 }, { rule: 'stFilter', reason: 'ST_NOT_ALLOWED', count: 1 }],
      stateChanges: [{ day: D1, from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: WHY }], finalState: 'REDUCING',
      stops: 2, stopsBlockedByT1: 1,
      stopsByKind: [{ kind: 'FIXED', count: 1, blockedByT1: 1 }, { kind: 'TRAILING', count: 1, blockedByT1: 0 }],
      ruleVersions: ['risk@1', 'risk@2'],
    });
  });

  it('writes the same summary into metrics.json under risk', () => {
    const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(m.risk).toEqual(input.risk);
    expect(m.risk).toMatchObject({ decisions: 3, denied: 2, finalState: 'REDUCING', stops: 2, stopsBlockedByT1: 1 });
  });

  it('shows the state line with a warning, the rules and the changes, escaping the journal text', () => {
    expect(html).toContain('<h2>Risk</h2>');
    expect(html).toContain('<p class="risk-state warn reducing">Trading state at the end: REDUCING since 2024-01-02 — by risk:maxDrawdown: '
      + 'drawdown 10.88% reached the 10.00% limit &lt;script&gt;alert(1)&lt;/script&gt;; buys were denied from then on</p>');
    for (const s of ['positionSize', 'POSITION_SIZE', 'stFilter', 'ST_NOT_ALLOWED', 'ACTIVE → REDUCING', 'TRAILING']) expect(html).toContain(s);
    expect(html).toContain('<tr><th>Stops triggered / sold nothing (T+1)</th><td>2 / 1</td></tr>');
    expect(html).toContain('<h3>Rule versions in force</h3><p><code>risk@1</code><br><code>risk@2</code></p>');
    expect(html).not.toContain('<script>alert(1)');
    // The equity chart, shaded by trading state, is on the first screen; the section sits after the
    // summary metrics, before the other charts.
    expect(html.indexOf('id="chart-equity"')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    expect(html.indexOf('<h2>Summary</h2>')).toBeLessThan(html.indexOf('<h2>Risk</h2>'));
    expect(html.indexOf('<h2>Risk</h2>')).toBeLessThan(html.indexOf('id="chart-drawdown"'));
  });

  it('says ACTIVE without a warning when nothing changed, and what HALTED meant', () => {
    const active = renderReportHtml({ ...input, risk: NO_RISK }, '');
    expect(active).toContain('<p class="risk-state">Trading state at the end: ACTIVE</p>');
    expect(active).toContain('No order was denied.');
    const halted = renderReportHtml({
      ...input,
      risk: { ...input.risk, finalState: 'HALTED', stateChanges: [...input.risk.stateChanges, { day: D2, from: 'REDUCING', to: 'HALTED', by: 'ops & co', why: 'kill switch' }] },
    }, '');
    expect(halted).toContain('class="risk-state warn halted">Trading state at the end: HALTED since 2024-01-03 — by ops &amp; co: kill switch; every order was denied from then on</p>');
  });

  it('orders denials most first, then by rule and reason; no risk events means ACTIVE', () => {
    const denial = (orderId: string, rule: string, reason: string) => ({ type: 'OrderDenied', data: { orderId, reason, rule, details: '', ruleVersion: 'v' } });
    const r = summariseRisk(journal([
      denial('a', 'stFilter', 'ST_NOT_ALLOWED'), denial('b', 'availability', 'T1_NOT_SELLABLE'), denial('c', 'availability', 'INSUFFICIENT_CASH'),
      denial('d', 'stFilter', 'ST_NOT_ALLOWED'),
    ]));
    expect(r.deniedBy.map((d) => `${d.rule}/${d.reason}/${d.count}`)).toEqual(['stFilter/ST_NOT_ALLOWED/2', 'availability/INSUFFICIENT_CASH/1', 'availability/T1_NOT_SELLABLE/1']);
    expect(summariseRisk(journal([bars(D1, 10_000)]))).toEqual(NO_RISK);
  });
});

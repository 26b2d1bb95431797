import { describe, expect, it } from 'vitest';
import type { DataOf } from '../../../src/domain/index.js';
import { renderReportHtml } from '../../../src/adapters/report/reportHtml.js';
import { STATE_COLOURS, stateMarkArea, tradingStateBands } from '../../../src/adapters/report/reportStates.js';
import { reportFixture } from './reportFixture.js';

const DAYS = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10'];
type Change = DataOf<'TradingStateChanged'>;
const change = (day: string, from: Change['from'], to: Change['to'], by = 'risk:maxDrawdown'): Change => ({ day, from, to, by, why: 'x' });

describe('tradingStateBands: the trading-state timeline on the equity chart', () => {
  it('no change: no bands', () => {
    expect(tradingStateBands(DAYS, [])).toEqual([]);
  });

  it('REDUCING at a close, ACTIVE again by the policy at a later one: three bands sharing their boundary days', () => {
    expect(tradingStateBands(DAYS, [change('2024-01-04', 'ACTIVE', 'REDUCING'), change('2024-01-09', 'REDUCING', 'ACTIVE', 'policy:afterDays')])).toEqual([
      { state: 'ACTIVE', from: '2024-01-02', to: '2024-01-04' },
      { state: 'REDUCING', from: '2024-01-04', to: '2024-01-09' },
      { state: 'ACTIVE', from: '2024-01-09', to: '2024-01-10' },
    ]);
  });

  it('REDUCING to the end, then HALTED by a person: the last band runs to the last day', () => {
    expect(tradingStateBands(DAYS, [change('2024-01-03', 'ACTIVE', 'REDUCING'), change('2024-01-08', 'REDUCING', 'HALTED', 'alice')])).toEqual([
      { state: 'ACTIVE', from: '2024-01-02', to: '2024-01-03' },
      { state: 'REDUCING', from: '2024-01-03', to: '2024-01-08' },
      { state: 'HALTED', from: '2024-01-08', to: '2024-01-10' },
    ]);
  });

  it('several changes on one day leave the last state; a change on a day off the axis starts at the next day on it; one after the last day is not drawn', () => {
    expect(tradingStateBands(DAYS, [
      change('2024-01-03', 'ACTIVE', 'HALTED', 'alice'), change('2024-01-03', 'HALTED', 'REDUCING', 'alice'),
      change('2024-01-06', 'REDUCING', 'ACTIVE', 'alice'), change('2024-01-11', 'ACTIVE', 'HALTED', 'alice'),
    ])).toEqual([
      { state: 'ACTIVE', from: '2024-01-02', to: '2024-01-03' },
      { state: 'REDUCING', from: '2024-01-03', to: '2024-01-08' },
      { state: 'ACTIVE', from: '2024-01-08', to: '2024-01-10' },
    ]);
  });

  it('a change before the first day sets the state the chart starts in', () => {
    expect(tradingStateBands(DAYS, [change('2023-12-29', 'ACTIVE', 'HALTED', 'alice')])).toEqual([{ state: 'HALTED', from: '2024-01-02', to: '2024-01-10' }]);
  });

  it('as a markArea: one coloured pair per band, only REDUCING and HALTED labelled', () => {
    const area = stateMarkArea([{ state: 'ACTIVE', from: 'a', to: 'b' }, { state: 'REDUCING', from: 'b', to: 'c' }]) as { data: unknown[] };
    expect(area.data).toEqual([
      [{ name: 'ACTIVE', xAxis: 'a', itemStyle: { color: STATE_COLOURS.ACTIVE }, label: { show: false } }, { xAxis: 'b' }],
      [{ name: 'REDUCING', xAxis: 'b', itemStyle: { color: STATE_COLOURS.REDUCING } }, { xAxis: 'c' }],
    ]);
  });
});

/** The charts' options as the page embeds them (the last inline script). */
function equitySpec(html: string): { series: { name: string; markArea?: { data: [{ name: string; xAxis: string }, { xAxis: string }][] } }[] } {
  const m = /var specs=(\[[\s\S]*?\]);var ready=0;/.exec(html);
  if (!m) throw new Error('no chart data in the page');
  return (JSON.parse(m[1]!) as { id: string; option: ReturnType<typeof equitySpec> }[]).find((c) => c.id === 'chart-equity')!.option;
}

describe('the report\'s first screen: the equity chart shaded by trading state', () => {
  const base = reportFixture();
  const days = base.performance.daily.map((d) => d.day);
  const stateChanges = [change(days[10]!, 'ACTIVE', 'REDUCING'), change(days[30]!, 'REDUCING', 'ACTIVE', 'policy:afterDays')];
  const html = renderReportHtml({ ...base, risk: { ...base.risk, stateChanges, finalState: 'ACTIVE' } }, '/* echarts */');

  it('draws the bands behind the strategy line, from the journal\'s changes', () => {
    const strategy = equitySpec(html).series.find((s) => s.name === 'Strategy')!;
    expect(strategy.markArea!.data.map(([a, b]) => [a.name, a.xAxis, b.xAxis])).toEqual([
      ['ACTIVE', days[0], days[10]], ['REDUCING', days[10], days[30]], ['ACTIVE', days[30], days[days.length - 1]],
    ]);
  });

  it('puts the chart before the summary, with a key to the bands', () => {
    expect(html.indexOf('id="chart-equity"')).toBeGreaterThan(0);
    expect(html.indexOf('id="chart-equity"')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    expect(html).toMatch(/<p class="note states">Shaded by trading state: .*ACTIVE.*REDUCING \(sells only\)\. 2 changes \(who and why under Risk\); REDUCING once; ACTIVE at the end\.<\/p>/);
  });

  it('without changes: no bands, and the caption says the state never changed', () => {
    const plain = renderReportHtml(base, '/* echarts */');
    expect(equitySpec(plain).series.find((s) => s.name === 'Strategy')!.markArea).toBeUndefined();
    expect(plain).toContain('<p class="note states">Trading state: ACTIVE throughout (no change recorded).</p>');
  });
});

import { describe, expect, it } from 'vitest';
import { AlertsConfig, DEFAULT_ALERTS_CONFIG } from '../../../src/domain/index.js';

const problems = (raw: unknown): string[] => {
  const r = AlertsConfig.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
};

describe('AlertsConfig', () => {
  it('gives every default for an empty section, frozen', () => {
    expect(DEFAULT_ALERTS_CONFIG).toEqual({
      drawdownPct: 0.05, dailyLossPct: 0.03, denialBurst: { count: 5, withinMinutes: 10 },
      heartbeatSeconds: 30, verifyEverySeconds: 60, exec: null, execTimeoutSeconds: 10,
    });
    expect(AlertsConfig.parse({})).toEqual(DEFAULT_ALERTS_CONFIG);
    expect(Object.isFrozen(DEFAULT_ALERTS_CONFIG) && Object.isFrozen(DEFAULT_ALERTS_CONFIG.denialBurst)).toBe(true);
  });

  it('fills the missing keys of a partial section, and null switches a rule off', () => {
    expect(AlertsConfig.parse({ denialBurst: { count: 3 }, drawdownPct: null, exec: ['/usr/local/bin/notify', '--urgent'] })).toEqual({
      ...DEFAULT_ALERTS_CONFIG, denialBurst: { count: 3, withinMinutes: 10 }, drawdownPct: null, exec: ['/usr/local/bin/notify', '--urgent'],
    });
    expect(AlertsConfig.parse({ dailyLossPct: null, denialBurst: null, heartbeatSeconds: null, verifyEverySeconds: null })).toMatchObject({
      dailyLossPct: null, denialBurst: null, heartbeatSeconds: null, verifyEverySeconds: null,
    });
  });

  it('rejects unknown keys, naming them and the keys the section takes', () => {
    expect(problems({ drawdownPc: 0.1 })).toEqual([
      '(top level): unknown key "drawdownPc" in alerts; it takes drawdownPct, dailyLossPct, denialBurst, heartbeatSeconds, verifyEverySeconds, exec, execTimeoutSeconds',
    ]);
    expect(problems({ denialBurst: { count: 5, within: 3, minutes: 2 } })).toEqual([
      'denialBurst: unknown keys "within", "minutes" in alerts.denialBurst; it takes count, withinMinutes',
    ]);
  });

  it('reports every bad value at once, each with its path', () => {
    const p = problems({ drawdownPct: 1, dailyLossPct: 0, denialBurst: { count: 0, withinMinutes: -1 }, exec: [], execTimeoutSeconds: null, heartbeatSeconds: 1.5 });
    expect(p.map((x) => x.split(':')[0])).toEqual(['drawdownPct', 'dailyLossPct', 'denialBurst.count', 'denialBurst.withinMinutes', 'heartbeatSeconds', 'exec', 'execTimeoutSeconds']);
    expect(p).toContain('exec: give the command and its arguments, or null for none');
    expect(problems({ denialBurst: { count: 501 } })).toHaveLength(1);
    expect(problems('yes')).toHaveLength(1);
  });
});

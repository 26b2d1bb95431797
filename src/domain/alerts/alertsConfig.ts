import { z } from 'zod';

/** Most orders a denial burst may count: the engine keeps this many recent denials (its state stays bounded). */
export const MAX_DENIAL_BURST_COUNT = 500;

/** Names the keys a section takes when it meets one it does not know (typos are caught, not ignored). */
const strictSection = <S extends z.ZodRawShape>(section: string, shape: S) =>
  z.strictObject(shape, {
    error: (iss) => iss.code === 'unrecognized_keys'
      ? `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} in ${section}; it takes ${Object.keys(shape).join(', ')}`
      : undefined,
  });

const fraction = z.number().gt(0).lt(1);

/**
 * The `alerts:` section of the run config. Every key has a default; `null` switches a rule (or
 * the heartbeat, the periodic verification, the exec hook) off. Fractions are of equity.
 * `heartbeatSeconds` and `verifyEverySeconds` are read by the service and the dashboard, not by the
 * rules engine; they live here so one section holds everything about alerting.
 */
export const AlertsConfig = strictSection('alerts', {
  /** DRAWDOWN: end-of-day equity this far below its running peak (fraction). */
  drawdownPct: fraction.nullable().default(0.05),
  /** DAILY_LOSS: closing equity this far below the previous close (fraction). */
  dailyLossPct: fraction.nullable().default(0.03),
  /** DENIAL_BURST: `count` OrderDenied within `withinMinutes` of each other. */
  denialBurst: strictSection('alerts.denialBurst', {
    count: z.number().int().min(1).max(MAX_DENIAL_BURST_COUNT).default(5),
    withinMinutes: z.number().positive().max(24 * 60).default(10),
  }).nullable().default({ count: 5, withinMinutes: 10 }),
  /** Seconds between the service's heartbeats; the dashboard calls the service silent after missing them. */
  heartbeatSeconds: z.number().int().min(1).max(3600).nullable().default(30),
  /**
   * Seconds between verifications of the journal's hash chain: the service checks the events
   * appended since its last check and journals JOURNAL_VERIFY once if one fails; the dashboard
   * re-verifies the file and shows what it finds.
   */
  verifyEverySeconds: z.number().int().min(1).max(86_400).nullable().default(60),
  /** A command and its arguments, run with each raised alert as JSON on stdin (no shell); null: none. */
  exec: z.array(z.string().min(1)).min(1, 'give the command and its arguments, or null for none').nullable().default(null),
  /** How long the exec command may run before it is killed. */
  execTimeoutSeconds: z.number().int().min(1).max(600).default(10),
});
export type AlertsConfig = z.infer<typeof AlertsConfig>;

/** Every default; frozen. */
export const DEFAULT_ALERTS_CONFIG: AlertsConfig = deepFreeze(AlertsConfig.parse({}));

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

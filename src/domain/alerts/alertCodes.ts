/**
 * Alert codes and what each means (the README lists them). The first five are condition alerts:
 * the rules engine raises one while its condition holds and clears it when it stops holding.
 * Every other code is one-shot: it stays active until a person acknowledges it.
 */
export const ALERT_CODES = Object.freeze({
  DRAWDOWN: 'End-of-day equity is at least alerts.drawdownPct below its running peak; clears when it recovers above that.',
  DAILY_LOSS: "The day's closing equity fell at least alerts.dailyLossPct from the previous close; clears at the next close that does not.",
  DENIAL_BURST: 'At least alerts.denialBurst.count orders were denied within alerts.denialBurst.withinMinutes; clears when that window holds fewer.',
  KILL_SWITCH: 'Trading is HALTED (the kill switch, engaged by a person or a risk rule); clears when the trading state leaves HALTED.',
  RECONCILIATION_BREAK: "The account's positions or cash differ from the broker's; clears at the next reconciliation that passes.",
  EGRESS_BLOCKED: 'An outbound connection to a host not allowed was blocked; one-shot, later blocks while it is active join it.',
  BROKER_TIMEOUT: 'The broker did not answer within schedule.brokerTimeoutSeconds; one-shot.',
  BROKER_UNAVAILABLE: 'The broker could not be reached (reading its answers, handing over or cancelling an order); one-shot.',
  BROKER_MESSAGE_REJECTED: 'A broker message could not be applied (malformed, unknown order, contradicting an earlier one); one-shot.',
  STALE_DATA: "The day's bars are missing: orders were decided on older prices or not at all; one-shot.",
  RECONCILIATION_UNAVAILABLE: 'The account could not be compared with the broker (no answer, no report); one-shot.',
  JOURNAL_VERIFY: "The service's periodic check (alerts.verifyEverySeconds) found an event appended since the last that does not chain or match its hash, or could not read the journal; one-shot.",
} as const satisfies Record<string, string>);
export type AlertCode = keyof typeof ALERT_CODES;

/** The codes whose alerts the engine raises and clears itself, in the order a delta lists them. */
export const CONDITION_ALERT_CODES = ['DRAWDOWN', 'DAILY_LOSS', 'DENIAL_BURST', 'KILL_SWITCH', 'RECONCILIATION_BREAK'] as const;
export type ConditionAlertCode = (typeof CONDITION_ALERT_CODES)[number];

const CONDITION_SET: ReadonlySet<string> = new Set(CONDITION_ALERT_CODES);

/** A condition alert is cleared by the engine, not by an acknowledgement; any other code is one-shot. */
export const isConditionAlertCode = (code: string): code is ConditionAlertCode => CONDITION_SET.has(code);

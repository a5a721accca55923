import type { PipelineEvent } from "../events/types.js";

/** Every machine-readable reason a safety rule can give, in pipeline order. */
export const REASON_CODES = [
  "DRAWDOWN_HALT",
  "DRAWDOWN_PANIC",
  "PANIC_FLATTEN",
  "FLATTEN_FAILED",
  "FLATTEN_COMPLETED",
  "OPERATOR_FLATTEN",
  "HEALTH_CHECK_PASSED",
  "HEALTH_CHECK_FAILED",
  "RAMPUP_STARTED",
  "RAMPUP_ENDED",
  "STALE_DATA",
  "NAN_VALUES",
  "INSUFFICIENT_HISTORY",
  "MISSING_INDICATORS",
  "PRICE_OUTLIER",
  "KILL_SWITCH_GLOBAL",
  "KILL_SWITCH_STRATEGY",
  "DUPLICATE_INTENT",
  "RECONCILIATION_MISMATCH",
  "BROKER_UNREACHABLE",
  "DUPLICATE_INTENTS_RECENT",
  "ALL_SYMBOLS_BLOCKED",
  "NOT_FLAT",
  "BELOW_MIN_NOTIONAL",
  "RAMPUP_SIZING",
  "CORRELATION_SIZING",
  "MAX_ORDER_NOTIONAL",
  "MAX_POSITION_PCT",
  "MAX_DAILY_ORDERS",
  "INSUFFICIENT_BUYING_POWER",
  "BROKER_REJECTED",
] as const;

/** A machine-readable reason code. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** A gate's verdict on one order or signal; a denial names its code and the numbers behind it. */
export type Decision = { kind: "allow" } | { kind: "deny"; code: ReasonCode; detail: string };

/** The one allow verdict, shared so gates allocate nothing on the happy path. */
export const ALLOW: Decision = Object.freeze({ kind: "allow" });

/** A denial with its reason code and detail. */
export function deny(code: ReasonCode, detail: string): Decision {
  return { kind: "deny", code, detail };
}

/** A pipeline event as a rule emits it; the engine adds `date` and `ts`. */
export interface SafetyEvent extends Omit<PipelineEvent, "date" | "ts" | "reason"> {
  reason: ReasonCode;
}

/** One named sub-check of the post-cooldown health check. */
export interface HealthCheckItem {
  name: string;
  passed: boolean;
  code: ReasonCode;
  detail: string;
}

/** The health check's verdict: passed only when every listed sub-check passed. */
export interface HealthCheckResult {
  passed: boolean;
  checks: HealthCheckItem[];
}

import type { SessionDate } from "../clock/types.js";

/**
 * Every decision the pipeline makes is one of these: stored in SQLite and written to events.jsonl.
 * `type` says what happened (past tense, snake_case); `reason` is the machine-readable code
 * (`DRAWDOWN_HALT`, `STALE_DATA`, …); `detail` carries the numbers behind it for a person.
 */
export interface PipelineEvent {
  date: SessionDate;
  /** Epoch ms on the run's clock. */
  ts: number;
  type: string;
  reason: string;
  detail: string;
  strategy?: string;
  symbol?: string;
  /** Structured facts behind the decision (thresholds, measured values, order ids). */
  data?: Record<string, unknown>;
}

import type { SessionDate } from "../clock/types.js";
import type { DrawdownConfig, DrawdownMode, DrawdownState } from "./drawdown.js";
import { money, ratio } from "./format.js";
import type { HealthCheckItem, SafetyEvent } from "./types.js";

/** What the stop measured at the close that triggered it. */
export interface DrawdownFacts {
  equity: number;
  highWaterMark: number;
  drawdown: number;
}

/** `drawdown_halt` or `drawdown_panic`, with the threshold crossed and the cooldown started. */
export function triggerEvent(
  mode: "HALTED" | "PANIC",
  from: DrawdownMode,
  facts: DrawdownFacts,
  config: DrawdownConfig,
): SafetyEvent {
  const panic = mode === "PANIC";
  const threshold = panic ? config.panicThreshold : config.haltThreshold;
  const cooldown = panic ? config.panicCooldownSessions : config.haltCooldownSessions;
  const flatten = panic && config.flattenOnPanic;
  return {
    type: panic ? "drawdown_panic" : "drawdown_halt",
    reason: panic ? "DRAWDOWN_PANIC" : "DRAWDOWN_HALT",
    detail:
      `d=${ratio(facts.drawdown)} limit=${ratio(threshold)} equity=${money(facts.equity)} ` +
      `hwm=${money(facts.highWaterMark)} cooldown=${cooldown} from=${from}`,
    data: { ...facts, threshold, cooldownSessions: cooldown, from, ...(panic ? { flatten } : {}) },
  };
}

/** `rampup_ended`: sizing is back to full. */
export function rampupEndedEvent(config: DrawdownConfig): SafetyEvent {
  return {
    type: "rampup_ended",
    reason: "RAMPUP_ENDED",
    detail: `sessions=${config.rampupSessions} sizing=${ratio(1)}`,
    data: { sessions: config.rampupSessions },
  };
}

/** `rampup_started`: how many sessions at which sizing. */
export function rampupStartedEvent(config: DrawdownConfig): SafetyEvent {
  return {
    type: "rampup_started",
    reason: "RAMPUP_STARTED",
    detail: `sessions=${config.rampupSessions} sizing=${ratio(config.rampupSizingPct)}`,
    data: { sessions: config.rampupSessions, sizing: config.rampupSizingPct },
  };
}

/** `health_check_passed`, with the re-based high-water mark. */
export function healthCheckPassedEvent(state: DrawdownState, equity: number, session: SessionDate): SafetyEvent {
  return {
    type: "health_check_passed",
    reason: "HEALTH_CHECK_PASSED",
    detail: `hwm=${money(equity)} previous_hwm=${money(state.highWaterMark)} mode=${state.mode}`,
    data: { equity, previousHighWaterMark: state.highWaterMark, since: state.triggeredOn, resumedOn: session },
  };
}

/** Names every failing sub-check's code, e.g. `failed=BROKER_UNREACHABLE,KILL_SWITCH_GLOBAL`. */
export function healthCheckFailedEvent(state: DrawdownState, checks: readonly HealthCheckItem[]): SafetyEvent {
  const codes = checks.filter((check) => !check.passed).map((check) => check.code);
  return {
    type: "health_check_failed",
    reason: "HEALTH_CHECK_FAILED",
    detail: `failed=${codes.join(",") || "unspecified"} mode=${state.mode} cooldown=${state.cooldownRemaining}`,
    data: { failed: codes, checks },
  };
}

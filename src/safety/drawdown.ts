import type { SessionDate } from "../clock/types.js";
import {
  healthCheckFailedEvent,
  healthCheckPassedEvent,
  rampupEndedEvent,
  rampupStartedEvent,
  triggerEvent,
} from "./drawdownEvents.js";
import { ALLOW, deny, type Decision, type HealthCheckResult, type SafetyEvent } from "./types.js";

/** ACTIVE trades normally, HALTED and PANIC wait out a cooldown, RAMPUP trades at reduced size. */
export type DrawdownMode = "ACTIVE" | "HALTED" | "PANIC" | "RAMPUP";

/** Thresholds and durations of the drawdown stop; durations count session closes. */
export interface DrawdownConfig {
  haltThreshold: number;
  panicThreshold: number;
  haltCooldownSessions: number;
  panicCooldownSessions: number;
  rampupSizingPct: number;
  rampupSessions: number;
  flattenOnPanic: boolean;
}

/** The seed's defaults: halt at 8 %, panic at 10 %, 10/20 sessions of cooldown, 5 at half size. */
export const DEFAULT_DRAWDOWN_CONFIG: Readonly<DrawdownConfig> = Object.freeze({
  haltThreshold: 0.08,
  panicThreshold: 0.1,
  haltCooldownSessions: 10,
  panicCooldownSessions: 20,
  rampupSizingPct: 0.5,
  rampupSessions: 5,
  flattenOnPanic: true,
});

/** The drawdown stop's persisted state (plain JSON). */
export interface DrawdownState {
  mode: DrawdownMode;
  highWaterMark: number;
  cooldownRemaining: number;
  rampupRemaining: number;
  triggeredOn: SessionDate | null;
}

/** What one session close did to the stop. */
export interface DrawdownStep {
  state: DrawdownState;
  events: SafetyEvent[];
  drawdown: number;
  /** True when the engine must run the health check at this close. */
  healthCheckDue: boolean;
  /** True on the close that enters PANIC when flattening is configured. */
  flatten: boolean;
}

/** A fresh stop whose high-water mark is the starting capital. */
export function initialDrawdownState(startingCapital: number): DrawdownState {
  return { mode: "ACTIVE", highWaterMark: startingCapital, cooldownRemaining: 0, rampupRemaining: 0, triggeredOn: null };
}

/** Drawdown from the high-water mark; 1 when equity is gone. */
export function drawdownOf(equity: number, highWaterMark: number): number {
  if (equity <= 0) return 1;
  // (H − E) / H rather than 1 − E/H: exact for round numbers such as 920 of 1000.
  return (highWaterMark - equity) / highWaterMark;
}

/** True while entries wait out a cooldown. */
export function isHalted(state: DrawdownState): boolean {
  return state.mode === "HALTED" || state.mode === "PANIC";
}

/** Advances the stop by one session close. */
export function stepDrawdown(
  state: DrawdownState,
  inputs: { equity: number },
  session: SessionDate,
  config: DrawdownConfig,
): DrawdownStep {
  const equity = finiteEquity(inputs.equity);
  const highWaterMark = Math.max(state.highWaterMark, equity);
  const drawdown = drawdownOf(equity, highWaterMark);
  const events: SafetyEvent[] = [];
  let next: DrawdownState = { ...state, highWaterMark };
  if (next.mode === "RAMPUP") next = countDownRampup(next, events, config);

  const trigger = triggeredMode(next.mode, drawdown, config);
  if (trigger) {
    events.push(triggerEvent(trigger, next.mode, { equity, highWaterMark, drawdown }, config));
    next = { ...next, mode: trigger, cooldownRemaining: cooldownOf(trigger, config), rampupRemaining: 0, triggeredOn: session };
  } else if (isHalted(next)) {
    next = { ...next, cooldownRemaining: Math.max(0, next.cooldownRemaining - 1) };
  }
  return {
    state: next,
    events,
    drawdown,
    healthCheckDue: !trigger && isHalted(next) && next.cooldownRemaining === 0,
    flatten: trigger === "PANIC" && config.flattenOnPanic,
  };
}

/** Applies the health check run at a close where `healthCheckDue` was true. */
export function resolveHealthCheck(
  state: DrawdownState,
  result: HealthCheckResult,
  inputs: { equity: number },
  session: SessionDate,
  config: DrawdownConfig,
): { state: DrawdownState; events: SafetyEvent[] } {
  if (!isHalted(state) || state.cooldownRemaining > 0) {
    throw new Error(`health check resolved while not due: mode=${state.mode} cooldown=${state.cooldownRemaining}`);
  }
  if (!result.passed || result.checks.some((check) => !check.passed)) {
    return { state, events: [healthCheckFailedEvent(state, result.checks)] };
  }
  const equity = finiteEquity(inputs.equity);
  const events = [healthCheckPassedEvent(state, equity, session)];
  // A passed check resumes like a fresh start whose capital is today's equity, so d = 0.
  const resumed = initialDrawdownState(equity);
  if (config.rampupSessions <= 0) return { state: resumed, events };
  events.push(rampupStartedEvent(config));
  return { state: { ...resumed, mode: "RAMPUP", rampupRemaining: config.rampupSessions }, events };
}

/** Entries are denied while halted or in panic; exits reduce risk and have no drawdown gate at all. */
export function entryDecision(state: DrawdownState): Decision {
  if (state.mode === "HALTED") return deny("DRAWDOWN_HALT", `mode=HALTED cooldown=${state.cooldownRemaining}`);
  if (state.mode === "PANIC") return deny("DRAWDOWN_PANIC", `mode=PANIC cooldown=${state.cooldownRemaining}`);
  return ALLOW;
}

/** Entry sizing multiplier: reduced during ramp-up, full otherwise. */
export function sizingMultiplier(state: DrawdownState, config: DrawdownConfig): number {
  return state.mode === "RAMPUP" ? config.rampupSizingPct : 1;
}

function finiteEquity(equity: number): number {
  if (!Number.isFinite(equity)) throw new RangeError(`drawdown stop needs a finite equity, got ${equity}`);
  return equity;
}

function countDownRampup(state: DrawdownState, events: SafetyEvent[], config: DrawdownConfig): DrawdownState {
  const rampupRemaining = Math.max(0, state.rampupRemaining - 1);
  if (rampupRemaining > 0) return { ...state, rampupRemaining };
  events.push(rampupEndedEvent(config));
  return { ...state, mode: "ACTIVE", rampupRemaining: 0 };
}

function triggeredMode(mode: DrawdownMode, drawdown: number, config: DrawdownConfig): "HALTED" | "PANIC" | null {
  if (mode === "PANIC") return null;
  if (drawdown >= config.panicThreshold) return "PANIC";
  if (mode !== "HALTED" && drawdown >= config.haltThreshold) return "HALTED";
  return null;
}

function cooldownOf(mode: "HALTED" | "PANIC", config: DrawdownConfig): number {
  return mode === "PANIC" ? config.panicCooldownSessions : config.haltCooldownSessions;
}
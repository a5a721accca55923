import { entryDecision, killSwitchDecision, recordPassed, recordRejected, type Decision, type FunnelStage } from "../../safety/index.js";
import { emit, type SessionContext, type Signal } from "../context.js";

/**
 * Close: the kill switches and the drawdown gate stop entries only. Exits reduce risk, so they pass both in
 * every mode (HALTED, PANIC with flatten on or off) and under any kill switch.
 */
export function gateSignals(ctx: SessionContext): void {
  for (const signal of openSignals(ctx)) {
    const kill = signal.isEntry ? killSwitchDecision({ tradingDisabled: ctx.killSwitch.global, disabledStrategies: ctx.killSwitch.strategies }, signal.strategyId) : ALLOWED;
    if (!pass(ctx, signal, "kill_switch", kill)) continue;
    pass(ctx, signal, "drawdown_gate", signal.isEntry ? entryDecision(ctx.state.drawdown) : ALLOWED);
  }
}

const ALLOWED: Decision = { kind: "allow" };

/** Signals no stage has stopped yet. */
export function openSignals(ctx: SessionContext): Signal[] {
  return ctx.signals.filter((signal) => signal.stoppedAt === undefined);
}

/** Records a stage's verdict on a signal in the funnel (and as an event when it stops it); true when it passed. */
export function pass(ctx: SessionContext, signal: Signal, stage: FunnelStage, decision: Decision): boolean {
  if (decision.kind === "allow") {
    recordPassed(ctx.state.funnel, signal.strategyId, stage);
    return true;
  }
  stop(ctx, signal, stage, decision.code, decision.detail);
  return false;
}

/** Stops a signal at a stage with a reason code, visible in the funnel, the events and the signals table. */
export function stop(ctx: SessionContext, signal: Signal, stage: FunnelStage, code: string, detail: string): void {
  signal.stoppedAt = stage;
  signal.stopReason = code;
  recordRejected(ctx.state.funnel, signal.strategyId, stage, code);
  emit(ctx, {
    type: "signal_rejected",
    reason: code,
    detail: `${signal.side} ${signal.symbol} stopped at ${stage}: ${detail}`,
    strategy: signal.strategyId,
    symbol: signal.symbol,
    data: { stage },
  });
}

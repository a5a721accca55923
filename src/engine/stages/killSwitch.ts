import type { Config } from "../../config/index.js";
import { emit, guardsOf, type SessionContext } from "../context.js";

/** The run-time override `tradeguard kill` writes into the store; it wins over the configuration. */
export interface KillSwitchOverride {
  global?: boolean;
  strategies?: Record<string, boolean>;
}

export const KILL_SWITCH_STATE_KEY = "kill_switch";

/** Close: reads the kill switches afresh at every decision, so a flip in the store takes effect next session. */
export function readKillSwitches(ctx: SessionContext): void {
  if (!guardsOf(ctx.deps).killSwitch) return;
  const { config, store } = ctx.deps;
  ctx.killSwitch = effectiveKillSwitches(config, store.getSystemState<KillSwitchOverride>(KILL_SWITCH_STATE_KEY) ?? {});
  recordFlips(ctx);
}

/** The switches in force: the configuration's, with each switch the store's override names replaced by it. */
export function effectiveKillSwitches(
  config: Pick<Config, "TRADING_DISABLED" | "STRATEGY_DISABLED_LIST">,
  override: KillSwitchOverride,
): { global: boolean; strategies: Set<string> } {
  const disabled = new Set(config.STRATEGY_DISABLED_LIST);
  for (const [strategyId, on] of Object.entries(override.strategies ?? {})) {
    if (on) disabled.add(strategyId);
    else disabled.delete(strategyId);
  }
  return { global: override.global ?? config.TRADING_DISABLED, strategies: disabled };
}

/** A flip is an event of the first session that obeys it, so the timeline shows when a switch went on or off. */
function recordFlips(ctx: SessionContext): void {
  const before = ctx.state.killSwitch ?? { global: false, strategies: [] };
  const now = { global: ctx.killSwitch.global, strategies: [...ctx.killSwitch.strategies].sort() };
  if (before.global !== now.global) {
    emit(ctx, { type: now.global ? "kill_switch_on" : "kill_switch_off", reason: "KILL_SWITCH_GLOBAL", detail: `global kill switch ${now.global ? "on: entries blocked" : "off: entries allowed"}` });
  }
  for (const id of now.strategies.filter((strategy) => !before.strategies.includes(strategy))) {
    emit(ctx, { type: "kill_switch_on", reason: "KILL_SWITCH_STRATEGY", detail: `strategy ${id} kill switch on: its entries blocked`, strategy: id });
  }
  for (const id of before.strategies.filter((strategy) => !now.strategies.includes(strategy))) {
    emit(ctx, { type: "kill_switch_off", reason: "KILL_SWITCH_STRATEGY", detail: `strategy ${id} kill switch off: its entries allowed`, strategy: id });
  }
  ctx.state.killSwitch = now;
}

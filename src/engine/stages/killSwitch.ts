import type { SessionContext } from "../context.js";

/** The run-time override `tradeguard kill` writes into the store; it wins over the configuration. */
export interface KillSwitchOverride {
  global?: boolean;
  strategies?: Record<string, boolean>;
}

export const KILL_SWITCH_STATE_KEY = "kill_switch";

/** Close: reads the kill switches afresh at every decision, so a flip in the store takes effect next session. */
export function readKillSwitches(ctx: SessionContext): void {
  const { config, store } = ctx.deps;
  const override = store.getSystemState<KillSwitchOverride>(KILL_SWITCH_STATE_KEY) ?? {};
  const disabled = new Set(config.STRATEGY_DISABLED_LIST);
  for (const [strategyId, on] of Object.entries(override.strategies ?? {})) {
    if (on) disabled.add(strategyId);
    else disabled.delete(strategyId);
  }
  ctx.killSwitch = { global: override.global ?? config.TRADING_DISABLED, strategies: disabled };
}

import { ALLOW, deny, type Decision } from "./types.js";

/** The operator's switches: everything off, or named strategies off. */
export interface KillSwitchState {
  tradingDisabled: boolean;
  disabledStrategies: ReadonlySet<string>;
}

/** Denies a strategy's entries when trading is disabled globally (checked first) or for that strategy. */
export function killSwitchDecision(state: KillSwitchState, strategyId: string): Decision {
  if (state.tradingDisabled) return deny("KILL_SWITCH_GLOBAL", "TRADING_DISABLED=true");
  if (state.disabledStrategies.has(strategyId)) {
    return deny("KILL_SWITCH_STRATEGY", `strategy=${strategyId} in STRATEGY_DISABLED_LIST`);
  }
  return ALLOW;
}

/** Parses a comma-separated strategy list, ignoring blanks: `"a, b,,c"` → {a, b, c}. */
export function parseStrategyList(list: string): Set<string> {
  return new Set(
    list
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  );
}

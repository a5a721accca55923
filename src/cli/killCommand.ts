import { SystemClock } from "../clock/index.js";
import { KILL_SWITCH_STATE_KEY, type KillSwitchOverride } from "../engine/index.js";
import { openStore } from "../store/index.js";
import { UsageError } from "./errors.js";

export interface KillArgs {
  state: string;
  strategy?: string;
  db: string;
}

/** `tradeguard kill on|off [--strategy ID] --db FILE`: flips a kill switch in the store; the pipeline reads it at every decision. */
export function killCommand(args: KillArgs): KillSwitchOverride {
  if (args.state !== "on" && args.state !== "off") throw new UsageError(`kill: expected 'on' or 'off', got '${args.state}'`);
  const on = args.state === "on";
  // The wall clock is right here: this stamps when a person flipped the switch.
  const store = openStore(args.db, new SystemClock());
  try {
    return store.transaction(() => {
      const current = store.getSystemState<KillSwitchOverride>(KILL_SWITCH_STATE_KEY) ?? {};
      const next: KillSwitchOverride = args.strategy
        ? { ...current, strategies: { ...current.strategies, [args.strategy]: on } }
        : { ...current, global: on };
      store.setSystemState(KILL_SWITCH_STATE_KEY, next);
      process.stdout.write(`kill switch ${args.strategy ? `for strategy ${args.strategy}` : "(global)"} is ${args.state} in ${args.db}\n`);
      return next;
    });
  } finally {
    store.close();
  }
}

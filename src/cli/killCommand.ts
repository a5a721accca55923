import { SystemClock } from "../clock/index.js";
import { KILL_SWITCH_STATE_KEY, type KillSwitchOverride } from "../engine/index.js";
import { openExistingStore, type RunRecord, type Store } from "../store/index.js";
import { UsageError } from "./errors.js";
import { flattenCommand } from "./flattenCommand.js";

export interface KillArgs {
  state: string;
  strategy?: string;
  db: string;
}

/** `kill on --flatten --broker paper|live`: stop entries, then close everything now. */
export interface KillAndFlattenArgs extends KillArgs {
  flatten: boolean;
  broker?: "paper" | "live";
  set: string[];
  config?: string;
}

/** Flips the switch first, so no session can buy back what the flatten is about to sell. */
export async function killAndFlattenCommand(args: KillAndFlattenArgs): Promise<void> {
  if (args.flatten && args.state !== "on") throw new UsageError("--flatten goes with kill on (stop entries, then close everything)");
  if (args.flatten && args.broker === undefined) throw new UsageError("kill on --flatten: name the venue with --broker paper|live");
  if (!args.flatten && args.broker !== undefined) throw new UsageError("--broker goes with --flatten; kill alone only flips the switch in the store");
  killCommand(args);
  if (args.broker !== undefined) await flattenCommand({ broker: args.broker, db: args.db, set: args.set, config: args.config });
}

/**
 * `tradeguard kill on|off [--strategy ID] --db FILE`: flips a kill switch in the store; the pipeline reads it at
 * every decision. Only an existing store and a strategy id its run knows are accepted, so a typo can never
 * report a switch as on while the real bot keeps trading.
 */
export function killCommand(args: KillArgs): KillSwitchOverride {
  if (args.state !== "on" && args.state !== "off") throw new UsageError(`kill: expected 'on' or 'off', got '${args.state}'`);
  const on = args.state === "on";
  // The wall clock is right here: this stamps when a person flipped the switch.
  const store = openExistingStore(args.db, new SystemClock());
  try {
    if (args.strategy !== undefined) checkStrategyId(store, args.strategy, args.db);
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

function checkStrategyId(store: Store, strategy: string, db: string): void {
  const known = strategyIdsOf(store.latestRun());
  if (known.includes(strategy)) return;
  if (known.length === 0) throw new UsageError(`--strategy ${strategy}: ${db} holds no run yet, so no strategy ids to check; use the global switch (no --strategy)`);
  throw new UsageError(`--strategy ${strategy}: no such strategy in ${db}; its run has ${known.join(", ")}`);
}

/** The strategy ids a run was started with (an instance's id, or its name when it has none). */
function strategyIdsOf(run: RunRecord | undefined): string[] {
  const specs = (run?.args as { strategies?: unknown } | undefined)?.strategies;
  if (!Array.isArray(specs)) return [];
  return specs.map((spec: { id?: unknown; name?: unknown }) => spec?.id ?? spec?.name).filter((id): id is string => typeof id === "string");
}

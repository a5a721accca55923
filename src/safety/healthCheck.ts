import type { HealthCheckItem, HealthCheckResult } from "./types.js";

/** Facts the engine gathers before resuming after a drawdown cooldown. */
export interface HealthCheckInputs {
  brokerReachable: boolean;
  brokerError?: string;
  reconciliationMismatches: number;
  duplicateIntentsLast24h: number;
  killSwitchGlobal: boolean;
  /** Strategy symbols that passed data quality this session. */
  unblockedSymbols: number;
  totalSymbols: number;
  /** Symbols a PANIC flatten obligation still has to close (empty when none is open). */
  notFlatSymbols: readonly string[];
}

/** Runs every sub-check (all are always listed); the check passes only when each one does. */
export function runHealthCheck(inputs: HealthCheckInputs): HealthCheckResult {
  const checks: HealthCheckItem[] = [
    {
      name: "broker_reachable",
      passed: inputs.brokerReachable,
      code: "BROKER_UNREACHABLE",
      detail: inputs.brokerReachable ? "reachable=true" : `reachable=false error=${inputs.brokerError ?? "unknown"}`,
    },
    {
      name: "reconciliation_clean",
      passed: inputs.reconciliationMismatches === 0,
      code: "RECONCILIATION_MISMATCH",
      detail: `mismatches=${inputs.reconciliationMismatches}`,
    },
    {
      name: "no_duplicate_intents",
      passed: inputs.duplicateIntentsLast24h === 0,
      code: "DUPLICATE_INTENTS_RECENT",
      detail: `duplicates_24h=${inputs.duplicateIntentsLast24h}`,
    },
    {
      name: "kill_switch_off",
      passed: !inputs.killSwitchGlobal,
      code: "KILL_SWITCH_GLOBAL",
      detail: `trading_disabled=${inputs.killSwitchGlobal}`,
    },
    {
      name: "data_available",
      passed: inputs.unblockedSymbols > 0,
      code: "ALL_SYMBOLS_BLOCKED",
      detail: `unblocked=${inputs.unblockedSymbols} total=${inputs.totalSymbols}`,
    },
    {
      name: "flat_after_panic",
      passed: inputs.notFlatSymbols.length === 0,
      code: "NOT_FLAT",
      detail: `still_held=${inputs.notFlatSymbols.join(",") || "none"}`,
    },
  ];
  return { passed: checks.every((check) => check.passed), checks };
}

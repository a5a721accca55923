import type { Stage } from "./context.js";
import { writeSessionArtifacts } from "./stages/artifacts.js";
import { checkDataQuality, markToMarket } from "./stages/dataQuality.js";
import { updateDrawdown } from "./stages/drawdown.js";
import { applyFills } from "./stages/fills.js";
import { addFlattenOrders } from "./stages/flatten.js";
import { gateSignals } from "./stages/gates.js";
import { scoreHealth } from "./stages/health.js";
import { readKillSwitches } from "./stages/killSwitch.js";
import { persistSession } from "./stages/persist.js";
import { reconcileWithBroker } from "./stages/reconcile.js";
import { sizeOrders } from "./stages/sizing.js";
import { runStrategies } from "./stages/strategies.js";
import { submitOrders } from "./stages/submit.js";

/**
 * The whole pipeline of one trading session, in order. The same list runs under every broker
 * (simulated, paper, live); only the clock and the broker behind `ctx.deps` differ.
 */
export const SESSION_STAGES: readonly Stage[] = [
  { name: "fills", phase: "open", run: applyFills },
  { name: "data_quality", phase: "close", run: checkDataQuality },
  { name: "mark_to_market", phase: "close", run: markToMarket },
  { name: "reconciliation", phase: "close", run: reconcileWithBroker },
  { name: "kill_switch", phase: "close", run: readKillSwitches },
  { name: "drawdown", phase: "close", run: updateDrawdown },
  { name: "strategies", phase: "close", run: runStrategies },
  { name: "flatten", phase: "close", run: addFlattenOrders },
  { name: "gates", phase: "close", run: gateSignals },
  { name: "sizing", phase: "close", run: sizeOrders },
  { name: "idempotency_and_broker", phase: "close", run: submitOrders },
  { name: "health", phase: "close", run: scoreHealth },
  { name: "persist", phase: "close", run: persistSession },
  { name: "artifacts", phase: "close", run: writeSessionArtifacts },
];

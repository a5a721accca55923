import { reconcilePositions } from "../../safety/index.js";
import { emit, type SessionContext } from "../context.js";
import { alert } from "./alerts.js";

/** Close: reads the broker's account and positions and compares them with the engine's own book. */
export async function reconcileWithBroker(ctx: SessionContext): Promise<void> {
  let brokerQty: Map<string, number>;
  try {
    await ctx.deps.broker.getAccount();
    const positions = await ctx.deps.broker.getPositions();
    brokerQty = new Map(positions.map((position) => [position.symbol, position.qty]));
  } catch (error) {
    ctx.brokerReachable = false;
    ctx.brokerError = (error as Error).message;
    emit(ctx, { type: "broker_unreachable", reason: "BROKER_UNREACHABLE", detail: `account/positions read failed: ${ctx.brokerError}` });
    return;
  }
  const result = reconcilePositions(ctx.ledger.qtyBySymbol(), brokerQty);
  const symbols = result.mismatches.map((row) => row.symbol);
  const changed = symbols.join(",") !== ctx.state.reconciliationMismatches.join(",");
  ctx.state.reconciliationMismatches = symbols;
  if (!changed) return;
  if (result.clean) {
    emit(ctx, { type: "reconciliation_resolved", reason: "RECONCILIATION_MISMATCH", detail: "internal and broker positions agree again" });
    return;
  }
  const detail = result.mismatches.map((row) => `${row.symbol}: internal=${row.internalQty} broker=${row.brokerQty}`).join("; ");
  emit(ctx, { type: "reconciliation_mismatch", reason: "RECONCILIATION_MISMATCH", detail, data: { mismatches: result.mismatches } });
  ctx.deps.artifacts.write("reconciliation", ctx.date, { clean: false, mismatches: result.mismatches });
  await alert(ctx, "reconciliation_mismatch", { rows: result.mismatches.map((row) => ({ ...row })) });
}

import type { SessionContext } from "../context.js";
import { crashPoint } from "../crashPoints.js";
import { saveEngineState } from "../state.js";
import { forgetAdoptedOperatorOrders } from "./operatorOrders.js";

/**
 * Close: everything the session decided, in one transaction; the store is what a restart resumes from. A replay
 * that commits several sessions at once (`checkpointDeferred`) writes the checkpoint only when it commits.
 */
export function persistSession(ctx: SessionContext): void {
  const { store, runId } = ctx.deps;
  ctx.state.lastSession = ctx.date;
  store.transaction(() => {
    for (const { strategyId, session, order } of ctx.ordersToStore) store.upsertOrder(runId, strategyId, session, order);
    for (const fill of ctx.fills) store.insertFill(fill);
    for (const event of ctx.events) store.insertEvent(runId, event);
    for (const row of ctx.signalRows) store.insertSignal(row);
    for (const signal of ctx.signals) {
      store.insertSignal({
        runId, session: ctx.date, strategyId: signal.strategyId, symbol: signal.symbol, targetWeight: signal.targetWeight,
        stage: signal.stoppedAt ?? "submitted", outcome: signal.stoppedAt ? "rejected" : "submitted", reason: signal.stopReason ?? null,
      });
    }
    store.insertEquity({
      runId, session: ctx.date, equity: ctx.equity, cash: ctx.ledger.cash,
      highWaterMark: ctx.state.drawdown.highWaterMark, drawdown: ctx.drawdown, state: ctx.state.drawdown.mode,
      // The value the sizing stage used, not a second computation that could disagree with the orders.
      sizingMultiplier: ctx.sizingMultiplier,
      ordersSubmitted: ctx.ordersSubmitted.length,
    });
    for (const [key, status] of ctx.intentStatuses) store.updateOrderIntentStatus(key, status);
    forgetAdoptedOperatorOrders(store, ctx.adoptedOperatorOrders);
    if (!ctx.checkpointDeferred) writeCheckpoint(ctx);
    // Every write is made but none committed: a kill here must leave the store at the previous commit.
    crashPoint("persist:in_transaction", ctx.date);
  });
}

/**
 * What a restart resumes from, as of session `ctx.date`: the engine's state (and its drawdown copy), the extra
 * session writers (a simulated venue's snapshot) and the run's progress. Only the newest one matters, so a
 * replay committing several sessions at once writes it once, for the last of them.
 */
export function writeCheckpoint(ctx: SessionContext): void {
  const { store, runId } = ctx.deps;
  ctx.state.ledger = ctx.ledger.snapshot();
  store.transaction(() => {
    for (const write of ctx.deps.sessionWriters ?? []) write(store);
    saveEngineState(store, ctx.state);
    store.setRunProgress(runId, ctx.date);
  });
}

import { crashPoint } from "../crashPoints.js";
import { emit, type SessionContext, type Signal, type TrackedOrder } from "../context.js";
import { readOrder, settleReadBack } from "./fills.js";
import { recordGenerated } from "./strategies.js";

/**
 * Close, after the strategies, on every close the flatten obligation makes an attempt: first every order
 * the engine still follows is canceled and read back (so a pending sell can never add to the new one),
 * then each holding gets one full-exit sell. The new sell's client order id comes from this session's
 * intent identity, so each attempt has its own id and a re-run of the same session has the same one.
 */
export async function addFlattenOrders(ctx: SessionContext): Promise<void> {
  if (!ctx.flatten) return;
  const stillPendingSells = await withdrawFollowedOrders(ctx);
  crashPoint("flatten:after_withdraw", ctx.date);
  for (const { strategyId, symbol, qty } of ctx.ledger.positions()) {
    if (stillPendingSells.has(symbol)) {
      emit(ctx, { type: "flatten_deferred", reason: "PANIC_FLATTEN", detail: `${symbol}: a pending sell could not be withdrawn; no second sell sent`, strategy: strategyId, symbol });
      continue;
    }
    addFlattenSignal(ctx, strategyId, symbol, qty);
  }
}

/** Cancels and reads back every followed order; returns the symbols whose sell is still live at the broker. */
async function withdrawFollowedOrders(ctx: SessionContext): Promise<Set<string>> {
  const stillOpen: TrackedOrder[] = [];
  for (const tracked of ctx.state.openOrders) {
    if (!(await withdraw(ctx, tracked))) stillOpen.push(tracked);
  }
  ctx.state.openOrders = stillOpen;
  return new Set(stillOpen.filter((tracked) => tracked.side === "sell").map((tracked) => tracked.symbol));
}

/** Reads the order back, cancels it while it is still open, and reads it back again; true once the broker is done with it. */
async function withdraw(ctx: SessionContext, tracked: TrackedOrder): Promise<boolean> {
  const before = await readOrder(ctx, tracked);
  if (!before) return false;
  if (settleReadBack(ctx, tracked, before)) return true;
  await requestCancel(ctx, tracked);
  const after = await readOrder(ctx, tracked);
  return after !== null && settleReadBack(ctx, tracked, after);
}

async function requestCancel(ctx: SessionContext, tracked: TrackedOrder): Promise<void> {
  const about = { strategy: tracked.strategyId, symbol: tracked.symbol };
  try {
    await ctx.deps.broker.cancelOrder(tracked.orderId);
    emit(ctx, { type: "order_cancel_requested", reason: "PANIC_FLATTEN", detail: `${tracked.clientOrderId}: withdrawn before a new flatten attempt`, ...about });
  } catch (error) {
    // Not cancelable usually means it just finished; the read-back that follows says which way.
    emit(ctx, { type: "order_cancel_failed", reason: "PANIC_FLATTEN", detail: `${tracked.clientOrderId}: ${(error as Error).message}`, ...about });
  }
}

/** A full exit of one holding; a strategy's own exit of it this session becomes the flatten, so nothing is sold twice. */
function addFlattenSignal(ctx: SessionContext, strategyId: string, symbol: string, qty: number): void {
  const price = ctx.quality.get(symbol)?.markPrice ?? ctx.state.marks[symbol] ?? 0;
  const flatten: Partial<Signal> = { targetWeight: 0, targetValue: 0, reason: "PANIC_FLATTEN", flatten: true };
  const own = ctx.signals.find((signal) => signal.strategyId === strategyId && signal.symbol === symbol && !signal.isEntry && signal.stoppedAt === undefined);
  if (own) {
    Object.assign(own, flatten);
    return;
  }
  recordGenerated(ctx, strategyId);
  ctx.signals.push({ strategyId, symbol, side: "sell", isEntry: false, currentValue: qty * price, price, targetWeight: 0, targetValue: 0, reason: "PANIC_FLATTEN", flatten: true });
}

import { BrokerError, type Order, type OrderRequest } from "../../broker/types.js";
import { recordPassed } from "../../safety/index.js";
import { emit, type SessionContext, type Signal } from "../context.js";
import { crashPoint } from "../crashPoints.js";
import type { RecordIntentResult } from "../../store/index.js";
import { clientOrderIdFor, idempotencyKey, type IntentIdentity } from "../intents.js";
import { openSignals, stop } from "./gates.js";

/**
 * Close: each sized signal becomes an order intent with a deterministic key. All of the session's
 * intents are recorded in one transaction before the broker sees any; a key already in the store is
 * never sent twice, and a broker's "client_order_id must be unique" is answered by reading the order back.
 */
export async function submitOrders(ctx: SessionContext): Promise<void> {
  // Recorded per session, so a store that later trades for real still shows how many sessions ran dry.
  if (ctx.deps.config.DRY_RUN) emit(ctx, { type: "dry_run_session", reason: "DRY_RUN", detail: "every stage ran; no order, cancel or close was sent to the broker" });
  const sized = openSignals(ctx).filter((signal) => signal.order !== undefined);
  // No sized signal, no intent: skip the empty transaction (most sessions of a quiet strategy are like this).
  if (sized.length === 0) return;
  const intents = ctx.deps.store.transaction(() => sized.map((signal, i) => recordIntent(ctx, signal, sequenceOf(sized, i))));
  crashPoint("submit:after_intents", ctx.date);
  for (const [i, signal] of sized.entries()) await submitOne(ctx, signal, intents[i]);
}

/** Position of signal `i` among the session's signals for the same strategy, symbol and side. */
function sequenceOf(signals: readonly Signal[], i: number): number {
  const { strategyId, symbol, side } = signals[i];
  return signals.slice(0, i).filter((s) => s.strategyId === strategyId && s.symbol === symbol && s.side === side).length;
}

interface RecordedIntent {
  key: string;
  clientOrderId: string;
  recorded: RecordIntentResult;
}

function recordIntent(ctx: SessionContext, signal: Signal, seq: number): RecordedIntent {
  const identity: IntentIdentity = { account: ctx.deps.account, strategyId: signal.strategyId, symbol: signal.symbol, side: signal.side, session: ctx.date, seq };
  const key = idempotencyKey(identity);
  const clientOrderId = clientOrderIdFor(identity);
  const recorded = ctx.deps.store.recordOrderIntent({
    idempotencyKey: key, runId: ctx.deps.runId, clientOrderId, strategyId: signal.strategyId, symbol: signal.symbol,
    side: signal.side, session: ctx.date, seq, notional: signal.order?.notional ?? null,
    qty: signal.order?.qty ?? null, reason: signal.reason, status: "pending",
  });
  return { key, clientOrderId, recorded };
}

async function submitOne(ctx: SessionContext, signal: Signal, { key, clientOrderId, recorded }: RecordedIntent): Promise<void> {
  // A known intent the broker already has: from an earlier, committed decision (a duplicate, never resent),
  // or from this session's own attempt that a crash cut off before its commit ("pending"), which is followed
  // as the order this session placed, so the re-run decides exactly what the interrupted one did.
  const existing = recorded.inserted ? null : await findAtBroker(ctx, clientOrderId);
  if (existing && !recorded.inserted && recorded.existing.status !== "pending") {
    stop(ctx, signal, "idempotency", "DUPLICATE_INTENT", `intent ${key.slice(0, 12)} already placed as ${clientOrderId} (attempt ${recorded.existing.attempts})`);
    track(ctx, signal, key, existing);
    return;
  }
  recordPassed(ctx.state.funnel, signal.strategyId, "idempotency");
  const request = orderRequest(signal, clientOrderId);
  // Recorded before a crash but never reached the broker: this is the first real send.
  const placed = existing ?? (await place(ctx, signal, request));
  // The broker has answered but nothing of it is recorded yet: the window a restart must survive.
  crashPoint(signal.flatten ? "flatten:after_send" : "submit:after_send", ctx.date);
  if (!placed) return;
  ctx.intentStatuses.set(key, placed.status === "rejected" ? "rejected" : "submitted");
  if (placed.status === "rejected") {
    stop(ctx, signal, "submitted", "BROKER_REJECTED", `${clientOrderId}: ${placed.reason ?? "rejected"}`);
    ctx.ordersToStore.push({ strategyId: signal.strategyId, session: ctx.date, order: placed });
    return;
  }
  recordPassed(ctx.state.funnel, signal.strategyId, "submitted");
  ctx.ordersSubmitted.push(placed);
  emit(ctx, {
    type: "order_submitted",
    reason: signal.reason,
    detail: `${signal.side} ${request.notional !== undefined ? `$${request.notional.toFixed(2)}` : `${request.qty} sh`} ${signal.symbol} (${clientOrderId})`,
    strategy: signal.strategyId,
    symbol: signal.symbol,
    data: { clientOrderId, orderId: placed.id, notional: request.notional ?? null, qty: request.qty ?? null },
  });
  track(ctx, signal, key, placed);
}

function orderRequest(signal: Signal, clientOrderId: string): OrderRequest {
  return { symbol: signal.symbol, side: signal.side, type: "market", timeInForce: "day", clientOrderId, ...signal.order };
}

/** Sends the order; a duplicate-id or timeout answer is resolved by reading the order back. */
async function place(ctx: SessionContext, signal: Signal, request: OrderRequest): Promise<Order | null> {
  try {
    const { recoveredFrom, ...order } = await ctx.deps.broker.submitOrder(request);
    if (recoveredFrom) noteRecovered(ctx, signal, order, recoveredFrom);
    return order;
  } catch (error) {
    const brokerError = error instanceof BrokerError ? error : null;
    if (brokerError?.code === "DUPLICATE_CLIENT_ORDER_ID" || brokerError?.code === "TIMEOUT") {
      const existing = await findAtBroker(ctx, request.clientOrderId);
      if (existing) {
        noteRecovered(ctx, signal, existing, brokerError);
        return existing;
      }
    }
    if (brokerError?.code === "UNAVAILABLE" || brokerError?.code === "TIMEOUT") {
      ctx.brokerReachable = false;
      ctx.brokerError = brokerError.message;
    }
    const code = brokerError?.code === "INSUFFICIENT_BUYING_POWER" ? "INSUFFICIENT_BUYING_POWER" : brokerError?.code === "UNAVAILABLE" || brokerError?.code === "TIMEOUT" ? "BROKER_UNREACHABLE" : "BROKER_REJECTED";
    stop(ctx, signal, "submitted", code, `${request.clientOrderId}: ${(error as Error).message}`);
    return null;
  }
}

/** A submit that failed (timeout, reused id) but whose order the broker has: recorded, then followed as placed. */
function noteRecovered(ctx: SessionContext, signal: Signal, order: Order, cause: { code: string; message: string }): void {
  const detail = `${order.clientOrderId}: ${cause.message}; read back as ${order.id} (${order.status})`;
  emit(ctx, { type: "order_recovered", reason: cause.code, detail, strategy: signal.strategyId, symbol: signal.symbol });
}

async function findAtBroker(ctx: SessionContext, clientOrderId: string): Promise<Order | null> {
  try {
    return await ctx.deps.broker.getOrderByClientOrderId(clientOrderId);
  } catch {
    return null;
  }
}

function track(ctx: SessionContext, signal: Signal, key: string, order: Order): void {
  ctx.ordersToStore.push({ strategyId: signal.strategyId, session: ctx.date, order });
  if (ctx.deps.config.DRY_RUN || ctx.state.openOrders.some((tracked) => tracked.orderId === order.id)) return;
  ctx.state.openOrders.push({
    orderId: order.id, clientOrderId: order.clientOrderId, idempotencyKey: key, strategyId: signal.strategyId,
    symbol: signal.symbol, side: signal.side, session: ctx.date, reason: signal.reason,
    reservedNotional: signal.order?.notional ?? 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0,
  });
}

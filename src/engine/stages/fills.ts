import { TERMINAL_ORDER_STATUSES, type Order } from "../../broker/types.js";
import { recordPassed, recordRejected } from "../../safety/index.js";
import { emit, type SessionContext, type TrackedOrder } from "../context.js";
import { recordClosedTrade } from "./health.js";
import { adoptOperatorOrders, filledShare } from "./operatorOrders.js";

/** Open: takes over the operator's orders, reads back every order the engine follows and books what filled since last time. */
export async function applyFills(ctx: SessionContext): Promise<void> {
  adoptOperatorOrders(ctx);
  const stillOpen: TrackedOrder[] = [];
  for (const tracked of ctx.state.openOrders) {
    const order = await readOrder(ctx, tracked);
    if (!order) {
      stillOpen.push(tracked);
      continue;
    }
    if (!settleReadBack(ctx, tracked, order)) stillOpen.push(tracked);
  }
  ctx.state.openOrders = stillOpen;
}

/** Books what an order read back has filled since last time and stores it; true when the broker is done with it. */
export function settleReadBack(ctx: SessionContext, tracked: TrackedOrder, order: Order): boolean {
  bookNewFills(ctx, tracked, order);
  ctx.ordersToStore.push({ strategyId: tracked.strategyId, session: tracked.session, order });
  if (!TERMINAL_ORDER_STATUSES.has(order.status)) return false;
  noteTerminal(ctx, tracked, order);
  return true;
}

/** The broker's current view of a followed order, or null (with the broker marked unreachable) when it cannot say. */
export async function readOrder(ctx: SessionContext, tracked: TrackedOrder): Promise<Order | null> {
  try {
    return await ctx.deps.broker.getOrderByClientOrderId(tracked.clientOrderId);
  } catch (error) {
    ctx.brokerReachable = false;
    ctx.brokerError = (error as Error).message;
    emit(ctx, {
      type: "broker_unreachable",
      reason: "BROKER_UNREACHABLE",
      detail: `order ${tracked.clientOrderId} could not be read: ${(error as Error).message}`,
      strategy: tracked.strategyId,
      symbol: tracked.symbol,
    });
    return null;
  }
}

/** Books the part of the order filled since the last read (partial fills arrive over several sessions). */
function bookNewFills(ctx: SessionContext, tracked: TrackedOrder, order: Order): void {
  const filledQty = filledShare(tracked, order.filledQty);
  const newQty = filledQty - tracked.bookedQty;
  if (newQty <= 0 || order.filledAvgPrice === null) return;
  const filledValue = filledQty * order.filledAvgPrice;
  const price = (filledValue - tracked.bookedValue) / newQty;
  // An operator's order spans the strategies holding its symbol; each pays its share of the commission.
  const orderCommission = order.commission * (filledQty / order.filledQty);
  const commission = orderCommission - tracked.bookedCommission;
  const booked = ctx.ledger.applyFill({ strategyId: tracked.strategyId, symbol: tracked.symbol, side: tracked.side, qty: newQty, price, commission });
  if (tracked.side === "sell") recordClosedTrade(ctx, tracked.strategyId, booked.realizedPnl - commission);
  tracked.bookedQty = filledQty;
  tracked.bookedValue = filledValue;
  tracked.bookedCommission = orderCommission;
  ctx.fills.push({
    runId: ctx.deps.runId,
    orderId: order.id,
    clientOrderId: order.clientOrderId,
    strategyId: tracked.strategyId,
    symbol: tracked.symbol,
    side: tracked.side,
    qty: newQty,
    price,
    commission,
    session: ctx.date,
    ts: ctx.deps.clock.now(),
  });
  emit(ctx, {
    type: "order_filled",
    reason: tracked.reason,
    detail: `${tracked.side} ${newQty} ${tracked.symbol} @ ${price.toFixed(4)} commission=${commission.toFixed(2)} (${order.clientOrderId})`,
    strategy: tracked.strategyId,
    symbol: tracked.symbol,
    data: { clientOrderId: order.clientOrderId, qty: newQty, price, commission, status: order.status },
  });
}

function noteTerminal(ctx: SessionContext, tracked: TrackedOrder, order: Order): void {
  // An operator's order was never a strategy's signal, so the signal funnel does not count it.
  const counted = tracked.operatorShare === undefined;
  if (order.filledQty > 0) {
    if (counted) recordPassed(ctx.state.funnel, tracked.strategyId, "filled");
    return;
  }
  const reason = order.status === "canceled" ? "ORDER_CANCELED" : "BROKER_REJECTED";
  if (counted) recordRejected(ctx.state.funnel, tracked.strategyId, "filled", reason);
  emit(ctx, {
    type: `order_${order.status}`,
    reason,
    detail: `${order.clientOrderId} ${order.status}: ${order.reason ?? "no reason given"}`,
    strategy: tracked.strategyId,
    symbol: tracked.symbol,
    data: { clientOrderId: order.clientOrderId, status: order.status },
  });
}

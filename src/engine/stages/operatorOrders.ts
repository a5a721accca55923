import type { SessionDate } from "../../clock/types.js";
import { roundQty } from "../../portfolio/index.js";
import type { Store } from "../../store/index.js";
import { emit, type SessionContext, type TrackedOrder } from "../context.js";

/** The system_state key of the operator's orders the engine has not taken over yet. */
export const OPERATOR_ORDERS_STATE_KEY = "operator_orders";

/** A sell an operator's emergency flatten placed; the venue assigned its ids. */
export interface OperatorOrder {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  qty: number;
  /** The last session decided before the operator acted. */
  session: SessionDate;
}

/**
 * Queues orders `tradeguard flatten` placed. The command never writes the engine's state itself: a running
 * loop holds that state in memory and would overwrite it, so the engine takes the queue over at its next open.
 */
export function queueOperatorOrders(store: Store, orders: readonly OperatorOrder[]): void {
  store.transaction(() => {
    const queued = store.getSystemState<OperatorOrder[]>(OPERATOR_ORDERS_STATE_KEY) ?? [];
    store.setSystemState(OPERATOR_ORDERS_STATE_KEY, [...queued, ...orders]);
  });
}

/** The orders still waiting for the engine (the `status` command shows them). */
export function queuedOperatorOrders(store: Store): OperatorOrder[] {
  return store.getSystemState<OperatorOrder[]>(OPERATOR_ORDERS_STATE_KEY) ?? [];
}

/**
 * Open, before the fills are read: follows each queued operator order like one of the engine's own, split over
 * the strategies that hold its symbol, so the fills stage books the sells into the ledger per strategy.
 */
export function adoptOperatorOrders(ctx: SessionContext): void {
  for (const order of queuedOperatorOrders(ctx.deps.store)) {
    ctx.adoptedOperatorOrders.push(order.orderId);
    const shares = sharesOf(ctx, order);
    ctx.state.openOrders.push(...shares);
    const about = { symbol: order.symbol, data: { orderId: order.orderId, clientOrderId: order.clientOrderId, qty: order.qty } };
    if (shares.length === 0) {
      // The venue held a symbol the book does not: reconciliation compares the venue's position with the book's.
      emit(ctx, { type: "operator_order_untracked", reason: "OPERATOR_FLATTEN", detail: `${order.clientOrderId}: sell ${order.qty} ${order.symbol}, which the book does not hold`, ...about });
      continue;
    }
    const split = shares.map((share) => `${share.strategyId} ${share.operatorShare?.qty}`).join(", ");
    emit(ctx, { type: "operator_order_adopted", reason: "OPERATOR_FLATTEN", detail: `${order.clientOrderId}: sell ${order.qty} ${order.symbol} followed for ${split}`, ...about });
  }
}

/** One followed share per strategy holding the symbol, in ledger order; each takes its holding's quantity of the fills. */
function sharesOf(ctx: SessionContext, order: OperatorOrder): TrackedOrder[] {
  let afterQty = 0;
  return ctx.ledger.positions().filter((position) => position.symbol === order.symbol).map((position) => {
    const share: TrackedOrder = {
      orderId: order.orderId, clientOrderId: order.clientOrderId, idempotencyKey: `operator:${order.clientOrderId}`,
      strategyId: position.strategyId, symbol: order.symbol, side: "sell", session: order.session, reason: "OPERATOR_FLATTEN",
      reservedNotional: 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0, operatorShare: { afterQty, qty: position.qty },
    };
    afterQty = roundQty(afterQty + position.qty);
    return share;
  });
}

/** The part of an order's filled quantity that belongs to this followed order (all of it unless an operator's share). */
export function filledShare(tracked: TrackedOrder, filledQty: number): number {
  const share = tracked.operatorShare;
  if (!share) return filledQty;
  return roundQty(Math.min(share.qty, Math.max(0, filledQty - share.afterQty)));
}

/** Persist: drops the adopted orders from the queue, in the session's transaction; orders queued meanwhile stay. */
export function forgetAdoptedOperatorOrders(store: Store, adopted: readonly string[]): void {
  if (adopted.length === 0) return;
  const left = queuedOperatorOrders(store).filter((order) => !adopted.includes(order.orderId));
  if (left.length === 0) store.deleteSystemState(OPERATOR_ORDERS_STATE_KEY);
  else store.setSystemState(OPERATOR_ORDERS_STATE_KEY, left);
}

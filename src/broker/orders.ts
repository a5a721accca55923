import { TERMINAL_ORDER_STATUSES, type Order, type OrderRequest } from "./types.js";

/** A fresh, unfilled `new` order for `request`, as a venue records it on receipt. */
export function orderFromRequest(id: string, request: OrderRequest, submittedAt: number): Order {
  return {
    id,
    clientOrderId: request.clientOrderId,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    timeInForce: request.timeInForce,
    qty: request.qty ?? null,
    notional: request.notional ?? null,
    limitPrice: request.limitPrice ?? null,
    status: "new",
    filledQty: 0,
    filledAvgPrice: null,
    commission: 0,
    submittedAt,
    filledAt: null,
    reason: null,
  };
}

/** True while the order can still fill or be canceled. */
export function isOpenOrder(order: Order): boolean {
  return !TERMINAL_ORDER_STATUSES.has(order.status);
}

import { DryRunBroker, type Broker, type Order } from "../broker/index.js";
import { lastClosedSession, nyseCalendar, SimulatedClock, type SessionDate, type TradingCalendar } from "../clock/index.js";
import type { Config } from "../config/index.js";
import { ENGINE_STATE_KEY, queueOperatorOrders, type EngineState, type OperatorOrder } from "../engine/index.js";
import { openExistingStore, type Store } from "../store/index.js";
import { checkLiveGuard } from "./liveGuard.js";
import { ReplayInputError } from "./replayJob.js";

export interface OperatorFlattenOptions {
  mode: "paper" | "live";
  config: Config;
  dbPath: string;
  /** Opens the venue, once the live guard allows it; wrapped in a DryRunBroker when DRY_RUN. */
  openBroker(): Broker;
  /** TRADEGUARD_LIVE as the environment has it. */
  liveOptIn: string | undefined;
  calendar?: TradingCalendar;
}

export interface OperatorFlattenResult {
  session: SessionDate;
  orders: Order[];
  /** False when DRY_RUN kept every cancel and close from the venue. */
  sent: boolean;
}

/**
 * `tradeguard flatten`: cancels every open order and closes every position at the venue now, and records it as
 * an `operator_flatten` event. The venue's orders are queued for the engine, which books their fills at its next
 * session like its own orders, so the ledger and reconciliation stay in step with the account.
 */
export async function operatorFlatten(options: OperatorFlattenOptions): Promise<OperatorFlattenResult> {
  // Closing positions only reduces risk, so a HALTED or PANIC store never blocks it; live still needs the opt-in.
  checkLiveGuard({ mode: options.mode, optIn: options.liveOptIn, storedState: undefined, acknowledgeState: true });
  const clock = new SimulatedClock(0);
  const store = openExistingStore(options.dbPath, clock);
  try {
    const run = store.latestRun();
    if (!run) throw new ReplayInputError(`${options.dbPath} holds no run yet, so there is nothing of the bot's to flatten; close positions at the venue instead`);
    const venue = options.openBroker();
    const market = await venue.getClock();
    clock.advanceTo(market.timestamp);
    const session = store.getSystemState<EngineState>(ENGINE_STATE_KEY)?.lastSession ?? lastClosedSession(options.calendar ?? nyseCalendar, market.timestamp);
    const dryRun = options.config.DRY_RUN;
    const broker = dryRun ? new DryRunBroker(venue, clock) : venue;
    const orders = await closeAll(broker, store, { runId: run.runId, session, ts: clock.now() });
    store.transaction(() => {
      // A dry run's orders exist only in this process, so there is nothing for the engine to follow.
      if (!dryRun) queueOperatorOrders(store, orders.filter((order) => order.side === "sell").map((order) => operatorOrder(order, session)));
      store.insertEvent(run.runId, { date: session, ts: clock.now(), type: "operator_flatten", reason: "OPERATOR_FLATTEN", detail: flattenDetail(orders, dryRun), data: { orders: orders.map(orderFacts), dryRun } });
    });
    return { session, orders, sent: !dryRun };
  } finally {
    store.close();
  }
}

/**
 * Close all positions; when the venue closed only some, its open sells are read back so the ones it did place are
 * still followed, the failure is recorded, and the error goes on to the operator.
 */
async function closeAll(broker: Broker, store: Store, at: { runId: string; session: SessionDate; ts: number }): Promise<Order[]> {
  try {
    return await broker.closeAllPositions();
  } catch (error) {
    const followed = new Set(store.getSystemState<EngineState>(ENGINE_STATE_KEY)?.openOrders.map((order) => order.orderId) ?? []);
    const placed = (await broker.listOrders({ status: "open" })).filter((order) => order.side === "sell" && !followed.has(order.id));
    store.transaction(() => {
      queueOperatorOrders(store, placed.map((order) => operatorOrder(order, at.session)));
      store.insertEvent(at.runId, { date: at.session, ts: at.ts, type: "operator_flatten_failed", reason: "OPERATOR_FLATTEN", detail: (error as Error).message, data: { orders: placed.map(orderFacts) } });
    });
    throw error;
  }
}

function operatorOrder(order: Order, session: SessionDate): OperatorOrder {
  return { orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, qty: order.qty ?? 0, session };
}

function orderFacts(order: Order): Record<string, unknown> {
  return { orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, qty: order.qty };
}

function flattenDetail(orders: readonly Order[], dryRun: boolean): string {
  const what = orders.length === 0 ? "nothing held" : orders.map((order) => `${order.side} ${order.qty} ${order.symbol} (${order.clientOrderId})`).join(", ");
  return `${dryRun ? "DRY_RUN, nothing sent: " : ""}operator closed all positions and canceled open orders: ${what}`;
}

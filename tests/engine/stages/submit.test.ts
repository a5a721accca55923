import { describe, expect, it } from "vitest";
import { BrokerError, type Order } from "../../../src/broker/types.js";
import type { SessionContext, Signal } from "../../../src/engine/index.js";
import { clientOrderIdFor, idempotencyKey } from "../../../src/engine/index.js";
import { submitOrders } from "../../../src/engine/stages/submit.js";
import { SESSION, scriptedBroker, stageRig, venueOrder, type StageRig } from "./fixtures.js";

const buy = (strategyId: string, symbol: string, notional: number): Signal => ({
  strategyId, symbol, side: "buy", isEntry: true, targetWeight: 1, currentValue: 0, targetValue: notional, price: 100, reason: "ENTRY", order: { notional },
});
const sell = (strategyId: string, symbol: string, qty: number): Signal => ({
  strategyId, symbol, side: "sell", isEntry: false, targetWeight: 0, currentValue: 0, targetValue: 0, price: 100, reason: "EXIT", order: { qty },
});
const identity = (signal: Signal, seq = 0) => ({ account: "simulated", strategyId: signal.strategyId, symbol: signal.symbol, side: signal.side, session: SESSION, seq });
const cid = (signal: Signal, seq = 0) => clientOrderIdFor(identity(signal, seq));
const eventsOf = (ctx: SessionContext) => ctx.events.map((event) => `${event.type} ${event.reason} ${event.detail}`);
const outcome = (signal: Signal) => (signal.stoppedAt ? `${signal.stoppedAt} ${signal.stopReason}` : "open");

async function withRig(test: (rig: StageRig) => Promise<void>, overrides: Record<string, string> = {}): Promise<void> {
  const rig = stageRig({ overrides });
  try {
    await test(rig);
  } finally {
    await rig.close();
  }
}

describe("the submit stage", () => {
  it("records every sized open signal as an intent (numbered per strategy, symbol and side) before it sends any, then follows each", () =>
    withRig(async (rig) => {
      const broker = scriptedBroker();
      rig.job.deps.broker = broker;
      const ctx = rig.context();
      const signals = [buy("bh_aaa", "AAA", 1000), buy("bh_aaa", "AAA", 500), sell("bh_aaa", "AAA", 2), buy("bh_bbb", "AAA", 100)];
      const stopped = { ...buy("bh_bbb", "BBB", 50), stoppedAt: "sizing_risk" as const, stopReason: "BELOW_MIN_NOTIONAL" };
      const unsized = { ...buy("bh_bbb", "BBB", 70), order: undefined };
      ctx.signals.push(signals[0], stopped, signals[1], unsized, signals[2], signals[3]);

      await submitOrders(ctx);

      const intents = rig.job.deps.store.listOrderIntents(rig.job.runId);
      expect(intents.map(({ strategyId, symbol, side, seq, notional, qty, reason, status }) => [strategyId, symbol, side, seq, notional, qty, reason, status])).toEqual([
        ["bh_aaa", "AAA", "buy", 0, 1000, null, "ENTRY", "pending"],
        ["bh_aaa", "AAA", "buy", 1, 500, null, "ENTRY", "pending"],
        ["bh_aaa", "AAA", "sell", 0, null, 2, "EXIT", "pending"],
        ["bh_bbb", "AAA", "buy", 0, 100, null, "ENTRY", "pending"],
      ]);
      const ids = [cid(signals[0]), cid(signals[1], 1), cid(signals[2]), cid(signals[3])];
      expect(intents.map((intent) => intent.clientOrderId)).toEqual(ids);
      expect(broker.calls).toEqual(ids.map((id) => `submit ${id}`));
      expect([...ctx.intentStatuses.values()]).toEqual(["submitted", "submitted", "submitted", "submitted"]);
      expect(eventsOf(ctx)).toEqual([
        `order_submitted ENTRY buy $1000.00 AAA (${ids[0]})`,
        `order_submitted ENTRY buy $500.00 AAA (${ids[1]})`,
        `order_submitted EXIT sell 2 sh AAA (${ids[2]})`,
        `order_submitted ENTRY buy $100.00 AAA (${ids[3]})`,
      ]);
      expect(ctx.state.openOrders.map((order) => [order.clientOrderId, order.reservedNotional, order.reason])).toEqual([
        [ids[0], 1000, "ENTRY"], [ids[1], 500, "ENTRY"], [ids[2], 0, "EXIT"], [ids[3], 100, "ENTRY"],
      ]);
      expect(ctx.ordersSubmitted).toHaveLength(4);
    }));

  it("says at every dry-run close that nothing went to the broker, and follows no order then", () =>
    withRig(async (rig) => {
      rig.job.deps.broker = scriptedBroker();
      const quiet = rig.context();
      await submitOrders(quiet);
      expect(eventsOf(quiet)).toEqual(["dry_run_session DRY_RUN every stage ran; no order, cancel or close was sent to the broker"]);

      const ctx = rig.context();
      ctx.signals.push(buy("bh_aaa", "AAA", 1000));
      await submitOrders(ctx);
      expect(ctx.ordersSubmitted).toHaveLength(1);
      expect(ctx.state.openOrders).toEqual([]);
    }, { DRY_RUN: "true" }));

  it("stops an order the broker rejects, stores it and marks its intent rejected, and follows it no further", () =>
    withRig(async (rig) => {
      rig.job.deps.broker = scriptedBroker({ submit: (request) => venueOrder(request, { status: "rejected", reason: "no shorting" }) });
      const ctx = rig.context();
      const signal = sell("bh_aaa", "AAA", 2);
      ctx.signals.push(signal);

      await submitOrders(ctx);

      expect(outcome(signal)).toBe("submitted BROKER_REJECTED");
      expect(eventsOf(ctx)).toEqual([`signal_rejected BROKER_REJECTED sell AAA stopped at submitted: ${cid(signal)}: no shorting`]);
      expect([...ctx.intentStatuses.values()]).toEqual(["rejected"]);
      expect(ctx.ordersToStore.map(({ order }) => order.status)).toEqual(["rejected"]);
      expect(ctx.state.openOrders).toEqual([]);
      expect(ctx.ordersSubmitted).toEqual([]);
    }));

  it("names each failed send by its cause, marks the broker unreachable only for an outage or a timeout, and recovers a timed-out order it can read back", () =>
    withRig(async (rig) => {
      const failures: Record<string, BrokerError> = {
        DOWN: new BrokerError(503, "UNAVAILABLE", "service unavailable"),
        POOR: new BrokerError(403, "INSUFFICIENT_BUYING_POWER", "insufficient buying power"),
        ODD: new BrokerError(422, "INVALID_ORDER", "invalid qty"),
        DUP: new BrokerError(422, "DUPLICATE_CLIENT_ORDER_ID", "client_order_id must be unique"),
        SLOW: new BrokerError(504, "TIMEOUT", "timed out"),
      };
      const known = new Map<string, Order>();
      rig.job.deps.broker = scriptedBroker({
        submit: (request) => {
          if (request.symbol === "LATE") known.set(request.clientOrderId, venueOrder(request, { status: "accepted" }));
          throw failures[request.symbol] ?? failures.SLOW;
        },
        read: (clientOrderId) => known.get(clientOrderId) ?? null,
      });
      const run = async (symbol: string) => {
        const ctx = rig.context();
        const signal = buy("bh_aaa", symbol, 1000);
        ctx.signals.push(signal);
        await submitOrders(ctx);
        return { outcome: outcome(signal), reachable: ctx.brokerReachable, brokerError: ctx.brokerError, events: eventsOf(ctx), id: cid(signal) };
      };

      expect(await run("POOR")).toMatchObject({ outcome: "submitted INSUFFICIENT_BUYING_POWER", reachable: true, brokerError: undefined });
      expect(await run("ODD")).toMatchObject({ outcome: "submitted BROKER_REJECTED", reachable: true });
      expect(await run("DUP")).toMatchObject({ outcome: "submitted BROKER_REJECTED", reachable: true });
      const down = await run("DOWN");
      expect(down).toMatchObject({ outcome: "submitted BROKER_UNREACHABLE", reachable: false, brokerError: "service unavailable" });
      expect(down.events).toEqual([`signal_rejected BROKER_UNREACHABLE buy DOWN stopped at submitted: ${down.id}: service unavailable`]);
      expect(await run("SLOW")).toMatchObject({ outcome: "submitted BROKER_UNREACHABLE", reachable: false, brokerError: "timed out" });
      const late = await run("LATE");
      expect(late).toMatchObject({ outcome: "open", reachable: true });
      expect(late.events).toEqual([
        `order_recovered TIMEOUT ${late.id}: timed out; read back as id-${late.id} (accepted)`,
        `order_submitted ENTRY buy $1000.00 LATE (${late.id})`,
      ]);
    }));

  it("never sends an intent again: a committed one is a DUPLICATE_INTENT, a pending one (cut off by a crash) is followed as placed", () =>
    withRig(async (rig) => {
      const broker = scriptedBroker({ read: (clientOrderId) => venueOrder({ clientOrderId, symbol: "AAA", side: "buy", notional: 1000 }) });
      rig.job.deps.broker = broker;
      const first = rig.context();
      first.signals.push(buy("bh_aaa", "AAA", 1000));
      await submitOrders(first);
      const id = cid(buy("bh_aaa", "AAA", 1000));
      expect(broker.calls).toEqual([`submit ${id}`]);

      // the same session again, as after a crash before its commit: the intent is still pending
      const rerun = rig.context();
      rerun.state.openOrders.push(...first.state.openOrders);
      const again = buy("bh_aaa", "AAA", 1000);
      rerun.signals.push(again);
      await submitOrders(rerun);
      expect(broker.calls).toEqual([`submit ${id}`, `read ${id}`]);
      expect(outcome(again)).toBe("open");
      expect(rerun.state.openOrders).toHaveLength(1);
      expect(eventsOf(rerun)).toEqual([`order_submitted ENTRY buy $1000.00 AAA (${id})`]);

      // once committed as submitted, the same intent is a duplicate: stopped, still followed, never resent
      const key = idempotencyKey(identity(again));
      rig.job.deps.store.updateOrderIntentStatus(key, "submitted");
      const late = rig.context();
      const duplicate = buy("bh_aaa", "AAA", 1000);
      late.signals.push(duplicate);
      await submitOrders(late);
      expect(broker.calls).toEqual([`submit ${id}`, `read ${id}`, `read ${id}`]);
      expect(outcome(duplicate)).toBe("idempotency DUPLICATE_INTENT");
      expect(eventsOf(late)).toEqual([`signal_rejected DUPLICATE_INTENT buy AAA stopped at idempotency: intent ${key.slice(0, 12)} already placed as ${id} (attempt 3)`]);
      expect(late.state.openOrders.map((order) => order.clientOrderId)).toEqual([id]);
    }));
});

import { describe, it, expect } from "vitest";
import { trading } from "@alpacahq/alpaca-trade-api/rest";
import { ordersFromCloseAll } from "../../src/broker/alpaca/mapping.js";
import { orderJson } from "../../src/sandbox/wire.js";
import { BrokerError, DUPLICATE_CLIENT_ORDER_ID_MESSAGE, type OrderRequest } from "../../src/broker/index.js";
import { createAlpacaBroker, type AlpacaOptions } from "../../src/broker/alpaca/index.js";
import { ConfigError } from "../../src/config/index.js";
import { runBrokerContract } from "./contract.js";
import { brokerErrorOf } from "./fixtures.js";
import { request, sandboxSettings, startSandbox } from "../sandbox/fixtures.js";
import type { Sandbox } from "../../src/sandbox/index.js";

runBrokerContract("AlpacaBroker against the sandbox", async () => {
  const sandbox = await startSandbox();
  return {
    broker: createAlpacaBroker(sandboxSettings(sandbox.url), "paper"),
    symbol: "AAA",
    advance: async () => {
      await request(sandbox.url, "POST", "/sandbox/advance", { sessions: 1 });
    },
  };
});

function buy(clientOrderId: string, qty = 1): OrderRequest {
  return { symbol: "AAA", side: "buy", type: "market", timeInForce: "day", qty, clientOrderId };
}

/** Records the waits a 429 asked for instead of sleeping. */
function recordingSleeper(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

async function alpacaOn(sandbox: Sandbox, options: AlpacaOptions = {}) {
  return createAlpacaBroker(sandboxSettings(sandbox.url), "paper", options);
}

describe("AlpacaBroker maps Alpaca's answers", () => {
  it("parses the trading API's string numbers into cents and quantities", async () => {
    const sandbox = await startSandbox({ capital: 1234.56 });
    const broker = await alpacaOn(sandbox);
    await broker.submitOrder({ symbol: "AAA", side: "buy", type: "market", timeInForce: "day", notional: 250.5, clientOrderId: "notional" });
    await sandbox.advance();

    const [account, positions, order] = await Promise.all([broker.getAccount(), broker.getPositions(), broker.getOrderByClientOrderId("notional")]);

    expect(account).toEqual({ cash: 984.06, equity: 1234.56, buyingPower: 984.06, tradingBlocked: false });
    expect(positions).toEqual([{ symbol: "AAA", qty: 2.505, avgEntryPrice: 100, currentPrice: 100, marketValue: 250.5, costBasis: 250.5, unrealizedPl: 0 }]);
    expect(order).toMatchObject({ notional: 250.5, qty: null, filledQty: 2.505, filledAvgPrice: 100, status: "filled" });
    expect(order?.filledAt).toBe(Date.parse("2024-01-03T14:30:00Z"));
  });

  it("reads the market clock and the calendar as epoch ms", async () => {
    const broker = await alpacaOn(await startSandbox());

    const [clock, calendar] = await Promise.all([broker.getClock(), broker.getCalendar("2024-01-12", "2024-01-16")]);

    expect(clock).toEqual({
      timestamp: Date.parse("2024-01-02T21:00:00Z"),
      isOpen: false,
      nextOpen: Date.parse("2024-01-03T14:30:00Z"),
      nextClose: Date.parse("2024-01-03T21:00:00Z"),
    });
    expect(calendar).toEqual([
      { date: "2024-01-12", open: Date.parse("2024-01-12T14:30:00Z"), close: Date.parse("2024-01-12T21:00:00Z") },
      { date: "2024-01-16", open: Date.parse("2024-01-16T14:30:00Z"), close: Date.parse("2024-01-16T21:00:00Z") },
    ]);
  });

  it("maps 401, 403, 404 and 422 to the port's codes with the server's message", async () => {
    const sandbox = await startSandbox();
    const broker = await alpacaOn(sandbox);
    const intruder = createAlpacaBroker(sandboxSettings(sandbox.url, { keyId: "other-key", secret: "other-secret" }), "paper");

    const unauthorized = await brokerErrorOf(intruder.getAccount());
    const poor = await brokerErrorOf(broker.submitOrder(buy("too-big", 1000)));
    const missing = await brokerErrorOf(broker.cancelOrder("no-such-order"));
    const invalid = await brokerErrorOf(broker.submitOrder({ ...buy("both"), notional: 5 }));

    expect(unauthorized).toMatchObject({ status: 401, code: "UNAUTHORIZED", message: "request is not authorized" });
    expect(poor).toMatchObject({ status: 403, code: "INSUFFICIENT_BUYING_POWER", message: "insufficient buying power: required=100000.00 available=10000.00" });
    expect(missing).toMatchObject({ status: 404, code: "ORDER_NOT_FOUND", message: "order not found: no-such-order" });
    expect(invalid).toMatchObject({ status: 422, code: "INVALID_ORDER", message: "exactly one of qty or notional is required" });
  });

  it("passes the simulated venue's outage through as UNAVAILABLE", async () => {
    const sandbox = await startSandbox();
    sandbox.broker.setFaults([{ kind: "outage", fromIndex: 0, toIndex: 100, rate: 1 }]);

    const error = await brokerErrorOf((await alpacaOn(sandbox)).getPositions());

    expect(error).toMatchObject({ status: 503, code: "UNAVAILABLE", message: "simulated outage: broker unavailable" });
  });

  it("names the symbols Alpaca could not close and the orders it did place", async () => {
    const sandbox = await startSandbox();
    const order = await sandbox.broker.submitOrder(buy("closing"));
    const results = [
      { symbol: "AAA", status: 200, body: orderJson(order) },
      { symbol: "BBB", status: 403, body: { code: 40310000, message: "insufficient qty available for order" } },
    ].map((result) => trading.PositionClosedReponseFromJSON(result));

    const error = await brokerErrorOf(Promise.resolve().then(() => ordersFromCloseAll(results)));

    expect(error).toMatchObject({ status: 403, code: "REJECTED", message: "close all positions failed for BBB (403: insufficient qty available for order); orders placed for AAA" });
    expect(ordersFromCloseAll(results.slice(0, 1)).map((closing) => closing.clientOrderId)).toEqual(["closing"]);
  });

  it("refuses to start without keys, naming the settings to set", () => {
    const settings = { ...sandboxSettings("http://127.0.0.1:1"), ALPACA_API_KEY: "", ALPACA_SECRET_KEY: "" };

    expect(() => createAlpacaBroker(settings, "paper", { env: {} })).toThrow(ConfigError);
    expect(() => createAlpacaBroker(settings, "paper", { env: { APCA_API_KEY_ID: "k", APCA_API_SECRET_KEY: "s" } })).not.toThrow();
  });
});

describe("AlpacaBroker under transport faults", () => {
  it("returns the one order the venue accepted when the connection drops after the accept", async () => {
    const sandbox = await startSandbox();
    const broker = await alpacaOn(sandbox);
    sandbox.faults.add({ kind: "drop_after_accept", count: 1 });

    const order = await broker.submitOrder(buy("dropped", 2));

    expect(order).toMatchObject({ clientOrderId: "dropped", qty: 2, status: "new" });
    expect((await sandbox.broker.listOrders({ status: "all" })).map((placed) => placed.clientOrderId)).toEqual(["dropped"]);
  });

  it("returns the order when the venue timed out after recording it (504), without placing another", async () => {
    const sandbox = await startSandbox();
    const broker = await alpacaOn(sandbox);
    sandbox.broker.setFaults([{ kind: "timeout", fromIndex: 0, toIndex: 100, rate: 1 }]);

    const order = await broker.submitOrder(buy("late"));

    expect(order.clientOrderId).toBe("late");
    expect(await sandbox.broker.listOrders({ status: "all" })).toHaveLength(1);
  });

  it("never duplicates on a 5xx: it reads back first, throws UNAVAILABLE, and a resubmit places one order", async () => {
    const sandbox = await startSandbox();
    const broker = await alpacaOn(sandbox);
    sandbox.faults.add({ kind: "server_error", count: 1, method: "POST", path: "/v2/orders" });

    const error = await brokerErrorOf(broker.submitOrder(buy("five-hundred")));
    const again = await broker.submitOrder(buy("five-hundred"));

    expect(error).toMatchObject({ status: 500, code: "UNAVAILABLE", message: "internal server error" });
    expect(again.clientOrderId).toBe("five-hundred");
    expect(await sandbox.broker.listOrders({ status: "all" })).toHaveLength(1);
  });

  it("answers TIMEOUT for an answer slower than its timeout, and finds the order it placed meanwhile", async () => {
    const sandbox = await startSandbox();
    const broker = createAlpacaBroker(sandboxSettings(sandbox.url), "paper", { timeoutMs: 300 });
    sandbox.faults.add({ kind: "slow", count: 1, delayMs: 3000, method: "GET", path: "/v2/account" });
    sandbox.faults.add({ kind: "slow", count: 1, delayMs: 3000, method: "POST", path: "/v2/orders" });

    const error = await brokerErrorOf(broker.getAccount());
    const order = await broker.submitOrder(buy("slow"));

    expect(error).toMatchObject({ status: 504, code: "TIMEOUT" });
    expect(order.clientOrderId).toBe("slow");
    expect(await sandbox.broker.listOrders({ status: "all" })).toHaveLength(1);
  });

  it("waits out 429s as Retry-After asks, then answers", async () => {
    const sandbox = await startSandbox();
    const { waits, sleep } = recordingSleeper();
    const broker = await alpacaOn(sandbox, { sleep });
    sandbox.faults.add({ kind: "rate_limit", count: 2, retryAfterS: 3 });

    const account = await broker.getAccount();

    expect(account.cash).toBe(10_000);
    expect(waits).toEqual([3000, 3000]);
  });

  it("waits out a 429 on submit, reads back, and places the order exactly once", async () => {
    const sandbox = await startSandbox();
    const { waits, sleep } = recordingSleeper();
    const broker = await alpacaOn(sandbox, { sleep });
    sandbox.faults.add({ kind: "rate_limit", count: 1, retryAfterS: 0.002, method: "POST" });

    const order = await broker.submitOrder(buy("throttled"));

    expect(order.clientOrderId).toBe("throttled");
    expect(waits).toEqual([2]);
    expect(await sandbox.broker.listOrders({ status: "all" })).toHaveLength(1);
  });

  it("surfaces RATE_LIMITED only once its retries are spent", async () => {
    const sandbox = await startSandbox();
    const { waits, sleep } = recordingSleeper();
    const broker = await alpacaOn(sandbox, { sleep, maxRateLimitRetries: 2 });
    sandbox.faults.add({ kind: "rate_limit", count: 10, retryAfterS: 1 });

    const error = await brokerErrorOf(broker.getClock());

    expect(error).toMatchObject({ status: 429, code: "RATE_LIMITED", message: "rate limit exceeded" });
    expect(waits).toHaveLength(2);
  });

  it("keeps the refused duplicate a DUPLICATE_CLIENT_ORDER_ID error rather than returning the earlier order", async () => {
    const sandbox = await startSandbox();
    const broker = await alpacaOn(sandbox);
    await broker.submitOrder(buy("twice"));

    const error = await brokerErrorOf(broker.submitOrder(buy("twice")));

    expect(error).toMatchObject({ status: 422, code: "DUPLICATE_CLIENT_ORDER_ID", message: DUPLICATE_CLIENT_ORDER_ID_MESSAGE });
  });
});

describe("AlpacaBroker keeps its keys secret", () => {
  it("never puts the key id or secret in a thrown message (401, 500, 422, 404, network)", async () => {
    const secret = "SECRET-d41d8cd98f00b204e9800998ecf8427e";
    const keyId = "KEYID-PK0123456789ABCDEF";
    const sandbox = await startSandbox({ keys: { keyId, secret } });
    const broker = createAlpacaBroker(sandboxSettings(sandbox.url, { keyId, secret }), "paper");
    const wrong = createAlpacaBroker(sandboxSettings(sandbox.url, { keyId, secret: `${secret}-wrong` }), "paper");
    const closed = await startSandbox();
    await closed.close();
    const nowhere = createAlpacaBroker(sandboxSettings(closed.url, { keyId, secret }), "paper");
    await broker.submitOrder(buy("leak-dup"));

    const errors = await Promise.all([
      brokerErrorOf(wrong.getAccount()),
      brokerErrorOf(broker.submitOrder(buy("leak-dup"))),
      brokerErrorOf(broker.cancelOrder("unknown")),
      brokerErrorOf(nowhere.getAccount()),
    ]);
    sandbox.faults.add({ kind: "server_error", count: 1 });
    errors.push(await brokerErrorOf(broker.getPositions()));

    expect(errors.map((error) => error.code)).toEqual(["UNAUTHORIZED", "DUPLICATE_CLIENT_ORDER_ID", "ORDER_NOT_FOUND", "UNAVAILABLE", "UNAVAILABLE"]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(BrokerError);
      const text = `${error.message} ${error.stack ?? ""} ${JSON.stringify(error)}`;
      expect(text).not.toContain(secret);
      expect(text).not.toContain(keyId);
    }
  });
});

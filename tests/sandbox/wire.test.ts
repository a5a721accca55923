import { describe, it, expect } from "vitest";
import { marketData, trading } from "@alpacahq/alpaca-trade-api/rest";
import { DUPLICATE_CLIENT_ORDER_ID_MESSAGE } from "../../src/broker/index.js";
import { AUTH, KEYS, request, startSandbox } from "./fixtures.js";

const order = { symbol: "AAA", side: "buy", type: "market", time_in_force: "day", qty: "2", client_order_id: "wire-1" };

describe("the sandbox speaks Alpaca's wire format", () => {
  it("answers orders in snake_case with numbers as strings and ISO times", async () => {
    const sandbox = await startSandbox();

    const { status, body } = await request(sandbox.url, "POST", "/v2/orders", order);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: expect.any(String),
      client_order_id: "wire-1",
      symbol: "AAA",
      qty: "2",
      notional: null,
      filled_qty: "0",
      filled_avg_price: null,
      time_in_force: "day",
      order_type: "market",
      status: "new",
      submitted_at: "2024-01-02T21:00:00.000Z",
    });
  });

  it("answers the account, positions and clock with string amounts", async () => {
    const sandbox = await startSandbox();
    await request(sandbox.url, "POST", "/v2/orders", order);
    await request(sandbox.url, "POST", "/sandbox/advance", { sessions: 1 });

    const [account, positions, clock] = await Promise.all(["/v2/account", "/v2/positions", "/v2/clock"].map((path) => request(sandbox.url, "GET", path)));

    expect(account.body).toMatchObject({ cash: "9800", equity: "10000", buying_power: "9800", trading_blocked: false, status: "ACTIVE" });
    expect(positions.body).toEqual([
      expect.objectContaining({ symbol: "AAA", qty: "2", avg_entry_price: "100", market_value: "200", cost_basis: "200", current_price: "100", side: "long" }),
    ]);
    expect(clock.body).toEqual({
      timestamp: "2024-01-03T21:00:00.000Z",
      is_open: false,
      next_open: "2024-01-04T14:30:00.000Z",
      next_close: "2024-01-04T21:00:00.000Z",
    });
  });

  it("answers the calendar with New York wall-clock opens and closes, early closes included", async () => {
    const sandbox = await startSandbox();

    const { body } = await request(sandbox.url, "GET", "/v2/calendar?start=2024-07-03&end=2024-07-05");

    expect(body).toEqual([
      { date: "2024-07-03", open: "09:30", close: "13:00", session_open: "0400", session_close: "2000", settlement_date: "2024-07-05" },
      { date: "2024-07-05", open: "09:30", close: "16:00", session_open: "0400", session_close: "2000", settlement_date: "2024-07-08" },
    ]);
  });

  it("answers 401 without both key headers or with another key pair", async () => {
    const sandbox = await startSandbox();

    const statuses = await Promise.all([
      request(sandbox.url, "GET", "/v2/account", undefined, {}),
      request(sandbox.url, "GET", "/v2/account", undefined, { "APCA-API-KEY-ID": KEYS.keyId }),
      request(sandbox.url, "GET", "/v2/account", undefined, { ...AUTH, "APCA-API-SECRET-KEY": "guess" }),
    ]);

    for (const answer of statuses) expect(answer).toMatchObject({ status: 401, body: { code: 40110000, message: "request is not authorized" } });
  });

  it("accepts any non-empty key pair unless one is pinned", async () => {
    const sandbox = await startSandbox({ keys: undefined });

    const answer = await request(sandbox.url, "GET", "/v2/account", undefined, { "APCA-API-KEY-ID": "anyone", "APCA-API-SECRET-KEY": "anything" });

    expect(answer.status).toBe(200);
  });

  it("answers 404 for an unknown order id or client order id", async () => {
    const sandbox = await startSandbox();

    const [byId, byClientId, cancel] = await Promise.all([
      request(sandbox.url, "GET", "/v2/orders/no-such-order"),
      request(sandbox.url, "GET", "/v2/orders:by_client_order_id?client_order_id=nope"),
      request(sandbox.url, "DELETE", "/v2/orders/no-such-order"),
    ]);

    expect(byId).toMatchObject({ status: 404, body: { code: 40410000, message: "order not found" } });
    expect(byClientId.status).toBe(404);
    expect(cancel).toMatchObject({ status: 404, body: { message: "order not found: no-such-order" } });
  });

  it("answers 422 with Alpaca's message for a reused client order id", async () => {
    const sandbox = await startSandbox();
    await request(sandbox.url, "POST", "/v2/orders", order);

    const again = await request(sandbox.url, "POST", "/v2/orders", order);

    expect(again).toMatchObject({ status: 422, body: { code: 42210000, message: DUPLICATE_CLIENT_ORDER_ID_MESSAGE } });
  });

  it("answers 429 with Retry-After and 500 for injected faults, then recovers", async () => {
    const sandbox = await startSandbox();
    await request(sandbox.url, "POST", "/sandbox/faults", { kind: "rate_limit", count: 1, retry_after_s: 7 });
    await request(sandbox.url, "POST", "/sandbox/faults", { kind: "server_error", count: 1 });

    const limited = await request(sandbox.url, "GET", "/v2/clock");
    const failed = await request(sandbox.url, "GET", "/v2/clock");
    const fine = await request(sandbox.url, "GET", "/v2/clock");

    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(failed).toMatchObject({ status: 500, body: { code: 50010000 } });
    expect(fine.status).toBe(200);
  });

  it("serves daily bars with numbers, paginated with next_page_token", async () => {
    const sandbox = await startSandbox({ from: "2024-01-05" });
    const query = "/v2/stocks/bars?symbols=AAA&timeframe=1Day&limit=2&feed=iex&adjustment=all";

    const first = await request(sandbox.url, "GET", query);
    const token = (first.body as { next_page_token: string }).next_page_token;
    const second = await request(sandbox.url, "GET", `${query}&page_token=${token}`);

    expect(first.body).toEqual({
      bars: { AAA: [
        { t: "2024-01-02T05:00:00.000Z", o: 100, h: 100, l: 100, c: 100, v: 1000 },
        { t: "2024-01-03T05:00:00.000Z", o: 100, h: 100, l: 100, c: 100, v: 1001 },
      ] },
      next_page_token: expect.any(String),
      currency: "USD",
    });
    expect(second.body).toMatchObject({ bars: { AAA: [{ t: "2024-01-04T05:00:00.000Z" }, { t: "2024-01-05T05:00:00.000Z" }] }, next_page_token: null });
  });
});

describe("the official SDK, unmodified, talks to the sandbox", () => {
  it("places, finds, lists and cancels an order and reads account, clock, calendar and bars", async () => {
    const sandbox = await startSandbox();
    const config = new trading.Configuration({ basePath: sandbox.url, keyId: KEYS.keyId, secret: KEYS.secret });
    const orders = new trading.OrdersApi(config);

    const placed = await orders.postOrder({ postOrderRequest: { symbol: "AAA", side: "buy", type: "limit", timeInForce: "gtc", qty: "3", limitPrice: "99.5", clientOrderId: "sdk-1" } });
    const found = await orders.getOrderByClientOrderId({ clientOrderId: "sdk-1" });
    const open = await orders.getAllOrders({ status: "open" });
    await orders.deleteOrderByOrderID({ orderId: placed.id as string });
    const account = await new trading.AccountsApi(config).getAccount();
    const clock = await new trading.ClockApi(config).legacyClock();
    const calendar = await new trading.CalendarApi(config).legacyCalendar({ start: new Date("2024-01-02"), end: new Date("2024-01-03") });
    const bars = await new marketData.StockApi(new marketData.Configuration({ basePath: sandbox.url, keyId: KEYS.keyId, secret: KEYS.secret })).stockBars({ symbols: "AAA", timeframe: "1Day" });

    expect(placed).toMatchObject({ clientOrderId: "sdk-1", qty: "3", limitPrice: "99.5", status: "new" });
    expect(found.id).toBe(placed.id);
    expect(open.map((listed) => listed.id)).toEqual([placed.id]);
    expect((await orders.getOrderByOrderID({ orderId: placed.id as string })).status).toBe("canceled");
    expect(account.cash).toBe("10000");
    expect(clock.nextOpen.toISOString()).toBe("2024-01-03T14:30:00.000Z");
    expect(calendar.map((day) => [day.open, day.close])).toEqual([["09:30", "16:00"], ["09:30", "16:00"]]);
    expect(Object.keys(bars.bars)).toEqual(["AAA"]);
  });

  it("closes all positions with Alpaca's per-symbol multi-status answer", async () => {
    const sandbox = await startSandbox();
    const config = new trading.Configuration({ basePath: sandbox.url, keyId: KEYS.keyId, secret: KEYS.secret });
    await new trading.OrdersApi(config).postOrder({ postOrderRequest: { symbol: "AAA", side: "buy", type: "market", timeInForce: "day", qty: "4", clientOrderId: "sdk-close" } });
    await sandbox.advance();

    const results = await new trading.PositionsApi(config).deleteAllOpenPositions({ cancelOrders: true });

    expect(results).toEqual([expect.objectContaining({ symbol: "AAA", status: 200, body: expect.objectContaining({ side: "sell", qty: "4" }) })]);
  });
});

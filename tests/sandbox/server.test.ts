import { describe, it, expect, afterEach } from "vitest";
import { nyseCalendar, SimulatedClock } from "../../src/clock/index.js";
import { SimulatedBroker } from "../../src/broker/index.js";
import { createAlpacaBroker } from "../../src/broker/alpaca/index.js";
import { startSandboxServer, type SandboxServer } from "../../src/sandbox/index.js";
import { flatAt, nyseBars, request, sandboxSettings } from "./fixtures.js";

const servers: SandboxServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A venue the test owns and drives, as a scenario runner would, with the sandbox serving it over HTTP. */
async function venueBehindHttp() {
  const bars = nyseBars({ AAA: flatAt(100) });
  const clock = new SimulatedClock(nyseCalendar.openTime(bars.sessions[0]));
  const broker = new SimulatedBroker({ bars, clock, initialCash: 5000, seed: "in-process" });
  const server = await startSandboxServer({ broker, clock, bars });
  servers.push(server);
  const runSession = (index: number) => {
    clock.advanceTo(nyseCalendar.openTime(bars.sessions[index]));
    broker.onSessionOpen(index);
    clock.advanceTo(nyseCalendar.closeTime(bars.sessions[index]));
    broker.onSessionClose(index);
  };
  return { bars, clock, broker, server, runSession };
}

describe("startSandboxServer over a caller's venue", () => {
  it("listens on an ephemeral port of 127.0.0.1 only", async () => {
    const { server } = await venueBehindHttp();

    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it("routes every AlpacaBroker call to the caller's SimulatedBroker, whose hooks the caller drives", async () => {
    const { broker, server, runSession } = await venueBehindHttp();
    runSession(0);
    const alpaca = createAlpacaBroker(sandboxSettings(server.url), "paper");

    await alpaca.submitOrder({ symbol: "AAA", side: "buy", type: "market", timeInForce: "day", qty: 5, clientOrderId: "driven" });
    runSession(1);

    expect(await broker.getPositions()).toEqual(await alpaca.getPositions());
    expect(await alpaca.getAccount()).toEqual(await broker.getAccount());
    expect(await alpaca.getOrderByClientOrderId("driven")).toEqual(await broker.getOrderByClientOrderId("driven"));
  });

  it("refuses /sandbox/advance, since its owner drives time", async () => {
    const { server } = await venueBehindHttp();

    const answer = await request(server.url, "POST", "/sandbox/advance", {});

    expect(answer.status).toBe(409);
  });

  it("never serves a bar of a session the venue's clock has not closed", async () => {
    const { server, clock, bars, runSession } = await venueBehindHttp();
    const query = "/v2/stocks/bars?symbols=AAA&timeframe=1Day";
    const served = async () => Object.values(((await request(server.url, "GET", query)).body as { bars: Record<string, unknown[]> }).bars).flat().length;

    const beforeAnyClose = await served();
    runSession(0);
    runSession(1);
    clock.advanceTo(nyseCalendar.openTime(bars.sessions[2]));
    const duringSessionTwo = await served();

    expect(beforeAnyClose).toBe(0);
    expect(duringSessionTwo).toBe(2);
  });

  it("answers a venue's refusal with its status and Alpaca's body carrying the same message", async () => {
    const { server, runSession } = await venueBehindHttp();
    runSession(0);

    const answer = await request(server.url, "POST", "/v2/orders", { symbol: "AAA", side: "sell", type: "market", time_in_force: "day", qty: "1", client_order_id: "oversell" });

    expect(answer).toMatchObject({ status: 403, body: { code: 40310000, message: "insufficient qty available for order (requested: 1, available: 0)" } });
  });
});

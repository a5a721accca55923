import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { generateSyntheticBars, type BarStore } from "../../src/data/index.js";
import { ENGINE_STATE_KEY, type EngineState } from "../../src/engine/index.js";
import { prepareReplay, ReplayInputError } from "../../src/job/index.js";
import type { StrategySpec } from "../../src/strategies/index.js";
import { configWith, tempDir } from "./fixtures.js";

const FROM = "2019-01-02";
const TO = "2019-03-29";

/** Calm symbols with a year of warm-up and no jumps, pairwise correlated at `correlation`. */
function bars(symbols: string[], correlation?: number): BarStore {
  return generateSyntheticBars({ symbols, from: "2018-01-02", to: TO, calendar: nyseCalendar, seed: "sizing", volatility: 0.1, jumpIntensity: 0, correlation });
}

async function run(data: BarStore, strategies: StrategySpec[], overrides: Record<string, string> = {}) {
  const job = prepareReplay({ bars: data, dataLabel: "synthetic", strategies, from: FROM, to: TO, seed: 3, outDir: tempDir("sizing"), config: configWith(overrides) });
  await job.run();
  const events = job.deps.store.listEvents(job.runId);
  const orders = job.deps.store.listOrders(job.runId);
  const fills = job.deps.store.listFills(job.runId);
  const funnel = job.deps.store.getSystemState<EngineState>(ENGINE_STATE_KEY)?.funnel;
  await job.close();
  return { events, orders, fills, funnel };
}

const holdBoth: StrategySpec[] = [
  { name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA" } },
  { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB" } },
];

describe("correlation-aware sizing in the engine", () => {
  it("halves an entry correlated with one bought earlier the same session and names the pair", async () => {
    const { events, orders, funnel } = await run(bars(["AAA", "BBB"], 0.9), holdBoth);

    const first = orders.filter((order) => order.session === FROM);
    expect(first.map((order) => [order.symbol, order.notional])).toEqual([["AAA", 500], ["BBB", 250]]);
    const resized = events.filter((event) => event.reason === "CORRELATION_SIZING" && event.date === FROM);
    expect(resized).toHaveLength(1);
    expect(resized[0]).toMatchObject({ type: "signal_resized", strategy: "bh_bbb", symbol: "BBB" });
    expect(resized[0].detail).toContain("paired=AAA");
    expect(resized[0].data?.correlation).toBeGreaterThanOrEqual(0.7);
    expect(funnel?.strategies.bh_bbb.resized?.sizing_risk?.CORRELATION_SIZING).toBeGreaterThanOrEqual(1);
  });

  it("leaves entries at full size when the held symbol is uncorrelated", async () => {
    const { events, orders } = await run(bars(["AAA", "BBB"], 0), holdBoth);

    expect(orders.filter((order) => order.session === FROM).map((order) => order.notional)).toEqual([500, 500]);
    expect(events.filter((event) => event.reason === "CORRELATION_SIZING")).toEqual([]);
  });

  it("never scales exits: a flatten sells every share of correlated holdings", async () => {
    const data = bars(["AAA", "BBB"], 0.9);
    const crash = data.indexOf("2019-02-01");
    for (const symbol of ["AAA", "BBB"]) {
      const series = data.series(symbol);
      for (let i = crash; i < series.close.length; i++) for (const field of ["open", "high", "low", "close"] as const) series[field][i] *= 0.85;
    }
    const { orders, fills, events } = await run(data, holdBoth);

    expect(events.filter((event) => event.reason === "CORRELATION_SIZING").length).toBeGreaterThan(0);
    const flatten = orders.filter((order) => order.session === "2019-02-01" && order.side === "sell");
    expect(flatten.map((order) => order.symbol).sort()).toEqual(["AAA", "BBB"]);
    for (const order of flatten) {
      const held = fills
        .filter((fill) => fill.symbol === order.symbol && fill.session < "2019-02-01")
        .reduce((qty, fill) => qty + (fill.side === "buy" ? fill.qty : -fill.qty), 0);
      expect(order.qty).toBeCloseTo(held, 9);
    }
  });
});

describe("hard caps at the sizing gate", () => {
  it("cuts an entry to MAX_ORDER_NOTIONAL and says so", async () => {
    const { events, orders } = await run(bars(["AAA"]), [holdBoth[0]], { MAX_ORDER_NOTIONAL: "120" });

    expect(orders[0].notional).toBe(120);
    const cut = events.find((event) => event.reason === "MAX_ORDER_NOTIONAL")!;
    expect(cut.detail).toContain("asked=1000.00 sized=120.00");
    expect(orders.every((order) => (order.notional ?? 0) <= 120)).toBe(true);
  });

  it("cuts an entry so one symbol stays within MAX_POSITION_PCT of equity across strategies", async () => {
    const twice: StrategySpec[] = [holdBoth[0], { name: "buy_and_hold", id: "bh_aaa2", params: { symbol: "AAA" } }];
    const { events, orders } = await run(bars(["AAA"]), twice, { MAX_POSITION_PCT: "0.3" });

    const first = orders.filter((order) => order.session === FROM);
    expect(first.map((order) => order.notional)).toEqual([300]);
    expect(events.filter((event) => event.date === FROM && event.reason === "MAX_POSITION_PCT").map((event) => event.type)).toEqual([
      "signal_resized",
      "signal_rejected",
    ]);
  });

  it("rejects entries beyond MAX_DAILY_ORDERS but lets every exit through", async () => {
    const data = bars(["AAA", "BBB"], 0);
    const crash = data.indexOf("2019-02-01");
    for (const symbol of ["AAA", "BBB"]) {
      const series = data.series(symbol);
      for (let i = crash; i < series.close.length; i++) for (const field of ["open", "high", "low", "close"] as const) series[field][i] *= 0.85;
    }
    const { events, orders } = await run(data, holdBoth, { MAX_DAILY_ORDERS: "1" });

    const perSession = new Map<string, number>();
    for (const order of orders.filter((o) => o.side === "buy")) perSession.set(order.session, (perSession.get(order.session) ?? 0) + 1);
    expect(Math.max(...perSession.values())).toBe(1);
    expect(events.some((event) => event.date === FROM && event.reason === "MAX_DAILY_ORDERS" && event.strategy === "bh_bbb")).toBe(true);
    expect(orders.filter((order) => order.side === "sell" && order.session === "2019-02-01")).toHaveLength(2);
  });
});

describe("allocation weights and the rebalance band", () => {
  it("gives a weighted strategy its weight and the others an equal share of the rest", async () => {
    const strategies: StrategySpec[] = [
      { name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA", weight: 0.6 } },
      { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB" } },
    ];
    const { orders } = await run(bars(["AAA", "BBB"], 0), strategies);

    expect(orders.filter((order) => order.session === FROM).map((order) => order.notional)).toEqual([600, 400]);
  });

  it("keeps the rest in cash when every strategy is weighted", async () => {
    const strategies: StrategySpec[] = [
      { name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA", weight: "0.3" } },
      { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB", weight: "0.2" } },
    ];
    const { orders } = await run(bars(["AAA", "BBB"], 0), strategies);

    expect(orders.filter((order) => order.session === FROM).map((order) => order.notional)).toEqual([300, 200]);
  });

  it("refuses weights that sum to more than 1 before the run starts", () => {
    const strategies: StrategySpec[] = [
      { name: "buy_and_hold", id: "a", params: { symbol: "AAA", weight: 0.7 } },
      { name: "buy_and_hold", id: "b", params: { symbol: "BBB", weight: 0.4 } },
    ];
    const start = () => prepareReplay({ bars: bars(["AAA", "BBB"]), dataLabel: "x", strategies, seed: 1, outDir: tempDir("weights"), config: configWith() });

    expect(start).toThrow(ReplayInputError);
    expect(start).toThrow("strategy weights sum to 1.1 (a=0.7, b=0.4); they must sum to at most 1");
  });

  it("places fewer momentum orders with a band than without, and a strategy's band overrides the config", async () => {
    const data = generateSyntheticBars({ symbols: 3, from: "2017-01-03", to: TO, calendar: nyseCalendar, seed: "band", jumpIntensity: 0 });
    const momentum = (band?: number): StrategySpec[] => [
      { name: "momentum_top_n", params: { symbols: "SYN000,SYN001,SYN002", topN: 2, lookback: 20, ...(band === undefined ? {} : { rebalance_band: band }) } },
    ];
    const everyDollar = await run(data, momentum());
    const banded = await run(data, momentum(), { REBALANCE_BAND: "0.05" });
    const overridden = await run(data, momentum(0), { REBALANCE_BAND: "0.05" });

    expect(banded.orders.length).toBeLessThan(everyDollar.orders.length);
    expect(overridden.orders.length).toBe(everyDollar.orders.length);
  });
});

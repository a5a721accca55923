import { describe, it, expect } from "vitest";
import { createAlpacaBarSource } from "../../src/broker/alpaca/index.js";
import { flatAt, nyseBars, sandboxSettings, startSandbox } from "../sandbox/fixtures.js";

const rising = { open: (i: number) => 100 + i, close: (i: number) => 100.5 + i };

describe("AlpacaBarSource", () => {
  it("follows next_page_token across small pages and dates each bar by its New York session", async () => {
    const sandbox = await startSandbox({ bars: nyseBars({ AAA: rising, BBB: flatAt(50) }), from: "2024-01-10", barsPageSize: 2 });
    const source = createAlpacaBarSource(sandboxSettings(sandbox.url), "paper");

    const bars = await source.dailyBars(["AAA", "BBB"], "2024-01-02", "2024-01-31");

    const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"];
    expect(bars.filter((bar) => bar.symbol === "AAA").map((bar) => bar.date)).toEqual(dates);
    expect(bars.filter((bar) => bar.symbol === "BBB")).toHaveLength(dates.length);
    expect(bars[0]).toEqual({ symbol: "AAA", date: "2024-01-02", open: 100, high: 100.5, low: 100, close: 100.5, volume: 1000 });
  });

  it("serves only what the sandbox has closed, and more after it advances", async () => {
    const sandbox = await startSandbox({ bars: nyseBars({ AAA: rising }), from: "2024-01-03" });
    const source = createAlpacaBarSource(sandboxSettings(sandbox.url), "paper");

    const before = await source.dailyBars(["AAA"], "2024-01-01", "2024-12-31");
    await sandbox.advance(2);
    const after = await source.dailyBars(["AAA"], "2024-01-04", "2024-01-05");

    expect(before.map((bar) => bar.date)).toEqual(["2024-01-02", "2024-01-03"]);
    expect(after.map((bar) => [bar.date, bar.open])).toEqual([["2024-01-04", 102], ["2024-01-05", 103]]);
  });

  it("dates bars by New York day across the daylight-saving switch", async () => {
    const sandbox = await startSandbox({ bars: nyseBars({ AAA: rising }, 60), from: "2024-03-12" });
    const source = createAlpacaBarSource(sandboxSettings(sandbox.url), "paper");

    const bars = await source.dailyBars(["AAA"], "2024-03-08", "2024-03-12");

    expect(bars.map((bar) => bar.date)).toEqual(["2024-03-08", "2024-03-11", "2024-03-12"]);
  });

  it("leaves symbols without bars out and answers nothing for no symbols", async () => {
    const sandbox = await startSandbox();
    const source = createAlpacaBarSource(sandboxSettings(sandbox.url), "paper");

    expect(await source.dailyBars(["ZZZ"], "2024-01-01", "2024-01-31")).toEqual([]);
    expect(await source.dailyBars([], "2024-01-01", "2024-01-31")).toEqual([]);
  });
});

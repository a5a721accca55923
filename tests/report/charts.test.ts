import { beforeAll, describe, expect, it } from "vitest";
import { CHART_SIZE, renderRunCharts, type ChartImage } from "../../src/report/charts.js";
import { loadRun, type RunData } from "../../src/report/load.js";
import { buildRun, pngHeader } from "./fixtures.js";

let data: RunData;
let charts: ChartImage[];

beforeAll(async () => {
  data = loadRun(await buildRun(7));
  charts = await renderRunCharts(data);
});

const pngOf = (images: ChartImage[], name: string) => images.find((image) => image.name === name)!.png;

/** A change to one chart's own data, which must change that chart's picture. */
const CHANGES: Record<string, (copy: RunData) => void> = {
  equity: (copy) => copy.timeline.forEach((row, i) => (row.equity *= i > 150 ? 1.1 : 1)),
  drawdown: (copy) => copy.timeline.forEach((row, i) => (row.drawdown = i > 150 ? row.drawdown + 0.01 : row.drawdown)),
  sizing: (copy) => copy.timeline.slice(200, 240).forEach((row) => (row.sizingMultiplier = 0.25)),
  funnel: (copy) => (Object.values(copy.funnel.strategies)[0].counts.generated += 50),
  rejections: (copy) => (copy.rejections[0].count += 40),
  data_quality: (copy) => (copy.events = copy.events.filter((event) => event.reason !== "STALE_DATA")),
  health: (copy) => copy.weeklyHealth.forEach((week) => week.strategies.forEach((entry) => (entry.long.score = Math.min(100, entry.long.score + 20)))),
};

describe("run charts", () => {
  it("renders every chart as a PNG of the requested size", () => {
    expect(charts.map((chart) => chart.name)).toEqual(["equity", "drawdown", "sizing", "funnel", "rejections", "data_quality", "health"]);
    for (const chart of charts) expect(pngHeader(chart.png), chart.name).toEqual(CHART_SIZE);
  });

  it("renders another size when asked", async () => {
    const small = await renderRunCharts(data, { width: 600, height: 300 });

    for (const chart of small) expect(pngHeader(chart.png), chart.name).toEqual({ width: 600, height: 300 });
  });

  it("renders the same bytes from the same data", async () => {
    const again = await renderRunCharts(data);

    for (const chart of charts) expect(pngOf(again, chart.name).equals(chart.png), chart.name).toBe(true);
  });

  it.each(Object.keys(CHANGES))("draws a different %s chart when its data differs", async (name) => {
    const copy = structuredClone(data);
    CHANGES[name](copy);

    const changed = await renderRunCharts(copy);

    expect(pngOf(changed, name).equals(pngOf(charts, name))).toBe(false);
  });

  it("shows entries the correlation rule resized at the funnel's sizing stage", async () => {
    const copy = structuredClone(data);
    Object.values(copy.funnel.strategies)[0].resized = { sizing_risk: { CORRELATION_SIZING: 30 } };

    const changed = await renderRunCharts(copy);

    expect(pngOf(changed, "funnel").equals(pngOf(charts, "funnel"))).toBe(false);
    expect(pngOf(changed, "sizing").equals(pngOf(charts, "sizing"))).toBe(true);
  });
});

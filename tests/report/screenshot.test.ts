import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadRun } from "../../src/report/load.js";
import { writeRunReport } from "../../src/report/runReport.js";
import { buildRun, pngHeader, tempDir } from "./fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
const PLAYWRIGHT = "playwright-core";

/** Why the browser check cannot run here, or undefined when it can. */
function missingBrowser(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`;
  try {
    createRequire(import.meta.url).resolve(PLAYWRIGHT);
    return undefined;
  } catch {
    return `${PLAYWRIGHT} is not installed (add it as a devDependency)`;
  }
}

/** The little of playwright-core this test drives; the package is optional, so its types may be absent. */
interface Page {
  goto(url: string): Promise<unknown>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  evaluate(expression: string): Promise<unknown>;
  screenshot(options: { fullPage: boolean }): Promise<Buffer>;
  selectOption(selector: string, value: string): Promise<unknown>;
  mouse: { move(x: number, y: number): Promise<void>; wheel(deltaX: number, deltaY: number): Promise<void>; dblclick(x: number, y: number): Promise<void> };
}
interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launchPersistentContext(userDataDir: string, options: object): Promise<BrowserContext> };
}

interface ImageCheck {
  alt: string;
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  visible: boolean;
  inViewport: boolean;
  inkedPixels: number;
}

/**
 * Runs in the page (source text, since this project compiles without DOM types): each chart scrolled into
 * view, decoded, laid out on screen, and drawing something besides white.
 */
const INSPECT_IMAGES = `(() => [...document.querySelectorAll("img")].map((img) => {
  img.scrollIntoView({ block: "center" });
  const box = img.getBoundingClientRect();
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let inkedPixels = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) inkedPixels += 1;
  return {
    alt: img.alt,
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    visible: img.checkVisibility() && box.width > 0 && box.height > 0,
    inViewport: box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth,
    inkedPixels,
  };
}))()`;

/** The equity chart: its datasets, how many of the twin's purple pixels it drew, where its canvas sits, its x range. */
const INSPECT_EQUITY = `(() => {
  const canvas = document.getElementById("equity-chart");
  canvas.scrollIntoView({ block: "center" });
  const chart = window.tradeguardCharts["equity-chart"];
  const context = canvas.getContext("2d");
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let twinPixels = 0;
  for (let i = 0; i < pixels.length; i += 4) if (Math.abs(pixels[i] - 147) < 30 && Math.abs(pixels[i + 1] - 51) < 30 && Math.abs(pixels[i + 2] - 234) < 30) twinPixels += 1;
  const box = canvas.getBoundingClientRect();
  return {
    labels: chart.data.datasets.map((dataset, i) => ({ label: dataset.label, points: dataset.data.length, visible: chart.isDatasetVisible(i) })),
    twinPixels,
    centre: { x: box.left + box.width / 2, y: box.top + box.height / 2 },
    range: { min: chart.scales.x.min, max: chart.scales.x.max },
  };
})()`;

const X_RANGE = `(() => { const x = window.tradeguardCharts["equity-chart"].scales.x; return { min: x.min, max: x.max }; })()`;

/** Rows of a table that are displayed, with their text and the background of each cell. */
const tableRows = (id: string) => `(() => [...document.querySelectorAll("#${id} tbody tr")].filter((row) => row.style.display !== "none").map((row) => ({
  cells: [...row.cells].map((cell) => cell.textContent),
  backgrounds: [...row.cells].map((cell) => getComputedStyle(cell).backgroundColor),
  type: row.getAttribute("data-type"),
})))()`;

interface EquityCheck {
  labels: { label: string; points: number; visible: boolean }[];
  twinPixels: number;
  centre: { x: number; y: number };
  range: { min: number; max: number };
}
interface Row {
  cells: string[];
  backgrounds: string[];
  type: string | null;
}

describe("the run report in a browser", () => {
  it("shows the charts, the twin overlay with zoom, the trades, the monthly table and the checklist in headless Chromium from file://", async (context) => {
    const missing = missingBrowser();
    if (missing) {
      console.warn(`screenshot test skipped: ${missing}`);
      context.skip(`screenshot test skipped: ${missing}`);
    }
    const dir = await buildRun(7);
    const { html, charts } = await writeRunReport(dir);
    const data = loadRun(dir);
    const playwright = (await import(PLAYWRIGHT)) as PlaywrightCore;
    const browser = await playwright.chromium.launchPersistentContext(tempDir("chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(pathToFileURL(html).href);

      const images = (await page.evaluate(INSPECT_IMAGES)) as ImageCheck[];
      const equity = (await page.evaluate(INSPECT_EQUITY)) as EquityCheck;
      await page.mouse.move(equity.centre.x, equity.centre.y);
      await page.mouse.wheel(0, -400);
      const zoomed = (await page.evaluate(X_RANGE)) as EquityCheck["range"];
      await page.mouse.dblclick(equity.centre.x, equity.centre.y);
      const reset = (await page.evaluate(X_RANGE)) as EquityCheck["range"];
      const trades = (await page.evaluate(tableRows("trades-table"))) as Row[];
      const months = (await page.evaluate(tableRows("monthly-table"))) as Row[];
      const checklist = (await page.evaluate(tableRows("checklist-table"))) as Row[];
      await page.selectOption("form[data-filter-for=timeline-table] select", "drawdown_halt");
      const halts = (await page.evaluate(tableRows("timeline-table"))) as Row[];
      const screenshot = await page.screenshot({ fullPage: true });
      writeFileSync(join(dir, "report-screenshot.png"), screenshot);

      // PNGs: every chart except the three time series, which chart.js draws in the page.
      expect(images).toHaveLength(charts.length - 3);
      for (const image of images) {
        expect(image, image.alt).toMatchObject({ complete: true, naturalWidth: 1000, naturalHeight: 400, visible: true, inViewport: true });
        expect(image.inkedPixels, image.alt).toBeGreaterThan(1000);
      }
      expect(equity.labels).toContainEqual({ label: "Unguarded twin", points: data.timeline.length, visible: true });
      expect(equity.labels).toContainEqual({ label: "Buy-and-hold SYN000", points: data.timeline.length, visible: true });
      expect(equity.twinPixels).toBeGreaterThan(200);
      expect(zoomed.max - zoomed.min).toBeLessThan(0.9 * (equity.range.max - equity.range.min));
      expect(reset).toEqual(equity.range);
      expect(trades.map((row) => row.cells.slice(0, 3))).toEqual(data.trades.map((trade) => [trade.strategy, trade.symbol, trade.entryDate]));
      expect(months.map((row) => row.cells[0])).toEqual([...new Set(data.timeline.map((row) => row.date.slice(0, 4)))]);
      expect(months[0].backgrounds.slice(1).some((colour) => colour !== "rgba(0, 0, 0, 0)" && colour !== "rgb(255, 255, 255)")).toBe(true);
      expect(checklist.map((row) => row.cells[1])).toEqual(expect.arrayContaining(["pass"]));
      expect(checklist).toHaveLength(7);
      expect(halts.length).toBe(data.events.filter((event) => event.type === "drawdown_halt").length);
      expect(halts.every((row) => row.type === "drawdown_halt")).toBe(true);
      expect(pngHeader(screenshot).width).toBe(1200);
    } finally {
      await browser.close();
    }
  });
});

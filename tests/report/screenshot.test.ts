import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
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

describe("the run report in a browser", () => {
  it("shows every chart in headless Chromium opened from file://", async (context) => {
    const missing = missingBrowser();
    if (missing) {
      console.warn(`screenshot test skipped: ${missing}`);
      context.skip(`screenshot test skipped: ${missing}`);
    }
    const dir = await buildRun(7);
    const { html } = await writeRunReport(dir);
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
      const screenshot = await page.screenshot({ fullPage: true });
      writeFileSync(join(dir, "report-screenshot.png"), screenshot);

      expect(images).toHaveLength(7);
      for (const image of images) {
        expect(image, image.alt).toMatchObject({ complete: true, naturalWidth: 1000, naturalHeight: 400, visible: true, inViewport: true });
        expect(image.inkedPixels, image.alt).toBeGreaterThan(1000);
      }
      expect(pngHeader(screenshot).width).toBe(1200);
    } finally {
      await browser.close();
    }
  });
});

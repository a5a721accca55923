import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderRunCharts } from "./charts.js";
import { renderHtml } from "./html.js";
import { loadRun } from "./load.js";
import { renderMarkdown } from "./markdown.js";
import { runReportView } from "./view.js";

/** Paths of what a report wrote. */
export interface WrittenReport {
  html: string;
  markdown: string;
  charts: string[];
}

/** Reads a run folder and writes `report.html`, `report.md` and `charts/*.png` into it; the same run gives the same bytes. */
export async function writeRunReport(outDir: string): Promise<WrittenReport> {
  const data = loadRun(outDir);
  const images = await renderRunCharts(data);
  mkdirSync(join(outDir, "charts"), { recursive: true });
  const charts = images.map((image) => {
    const path = join(outDir, "charts", `${image.name}.png`);
    writeFileSync(path, image.png);
    return path;
  });
  const view = runReportView(data, images);
  const html = join(outDir, "report.html");
  const markdown = join(outDir, "report.md");
  writeFileSync(html, renderHtml(view));
  writeFileSync(markdown, renderMarkdown(view));
  return { html, markdown, charts };
}

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CHART_SIZE } from "../../src/report/charts.js";
import { loadRun } from "../../src/report/load.js";
import { METRIC_DEFINITIONS } from "../../src/report/metrics.js";
import { writeRunReport, type WrittenReport } from "../../src/report/runReport.js";
import { buildRun, pngHeader, read, tempDir } from "./fixtures.js";

let dir: string;
let written: WrittenReport;

beforeAll(async () => {
  dir = await buildRun(7);
  written = await writeRunReport(dir);
});

function tradeguard(...args: string[]) {
  return spawnSync(process.execPath, ["src/cli/bin.js", ...args], { encoding: "utf8" });
}

function reportFiles(folder: string): Record<string, Buffer> {
  const charts = readdirSync(join(folder, "charts")).map((file) => join("charts", file));
  return Object.fromEntries(["report.html", "report.md", ...charts].map((file) => [file, readFileSync(join(folder, file))]));
}

describe("the run report", () => {
  it("writes report.html, report.md and one PNG per chart into the run folder", () => {
    expect(written.html).toBe(join(dir, "report.html"));
    expect(written.markdown).toBe(join(dir, "report.md"));
    expect(written.charts).toHaveLength(7);
    for (const chart of written.charts) expect(pngHeader(readFileSync(chart))).toEqual(CHART_SIZE);
  });

  it("makes report.html one self-contained file: images and chart.js inline, nothing fetched", () => {
    const html = read(dir, "report.html");
    const sources = [...html.matchAll(/src="([^"]*)"/g)].map((match) => match[1]);

    // The time series (equity, drawdown, sizing) are drawn by chart.js in the page; the other charts are PNGs.
    expect(sources).toHaveLength(written.charts.length - 3);
    for (const source of sources) {
      expect(source.startsWith("data:image/png;base64,")).toBe(true);
      expect(pngHeader(Buffer.from(source.slice("data:image/png;base64,".length), "base64"))).toEqual(CHART_SIZE);
    }
    expect(html).toContain("Chart.js v4");
    expect(html).toMatch(/<canvas id="equity-chart"/);
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link|@import|[^a-z]url\(|(src|href)="https?:/i);
  });

  it("lists every metric with its definition in report.md and links the charts", () => {
    const markdown = read(dir, "report.md");

    for (const { label, definition } of Object.values(METRIC_DEFINITIONS)) {
      expect(markdown).toMatch(new RegExp(`^\\| ${escapeRegExp(label)} \\| [^|]+ \\| ${escapeRegExp(definition)} \\|$`, "m"));
    }
    for (const chart of written.charts) {
      const file = `charts/${chart.split(/[\\/]/).at(-1)}`;
      expect(markdown).toContain(`](${file})`);
      expect(existsSync(join(dir, file))).toBe(true);
    }
  });

  it("tells the same facts in both files: halts with their dates and the data-quality blocks", () => {
    const data = loadRun(dir);
    const halts = data.events.filter((event) => event.type === "drawdown_halt");
    const html = read(dir, "report.html");
    const markdown = read(dir, "report.md");

    expect(halts.length).toBeGreaterThan(0);
    for (const halt of halts) {
      expect(markdown).toContain(`| ${halt.date} | ⚠️ drawdown_halt | DRAWDOWN_HALT |`);
      expect(html).toContain(`<tr data-type="drawdown_halt" data-date="${halt.date}"><td class="nowrap">${halt.date}</td><td class="warn">drawdown_halt</td>`);
    }
    expect(markdown).toMatch(/^\| SYN001 \| STALE_DATA \| \d+ \| \d{4}-\d\d-\d\d \| \d{4}-\d\d-\d\d \|$/m);
    expect(html).toContain("<td>SYN001</td><td>STALE_DATA</td>");
    expect(markdown).toContain(`Equity 1,000.00 → `);
  });

  it("carries the twin comparison, the go-live checklist, the trades and the monthly returns in both files", () => {
    const data = loadRun(dir);
    const html = read(dir, "report.html");
    const markdown = read(dir, "report.md");

    expect(data.twin?.summary.guards).toEqual({ drawdown: false, kill_switch: false, data_quality: false });
    expect(markdown).toContain("| Figure | Guarded | Unguarded twin | Buy-and-hold SYN000 |");
    expect(markdown).toMatch(/^\| Drawdown stop fired and recovered \| ✅ pass \| \d+ halts, \d+ panics; /m);
    expect(markdown).toContain("| Year | Jan | Feb | Mar | Apr | May | Jun | Jul | Aug | Sep | Oct | Nov | Dec | Year |");
    expect(data.trades.length).toBeGreaterThan(0);
    for (const trade of data.trades) {
      expect(markdown).toContain(`| ${trade.strategy} | ${trade.symbol} | ${trade.entryDate} |`);
    }
    for (const id of ["twin", "checklist-table", "trades-table", "monthly-table", "timeline-table", "episodes"]) expect(html).toContain(`id="${id}"`);
    expect(markdown).toContain(`With the safety rules: `);
  });

  it("writes trades.csv, twin_timeline.csv and benchmark.csv next to the run's files", () => {
    expect(read(dir, "trades.csv").split("\n")[0]).toBe("strategy,symbol,entry_date,entry_price,exit_date,exit_price,qty,pnl,pnl_pct,holding_sessions,exit_reason");
    expect(read(dir, "twin_timeline.csv").split("\n")[0]).toBe(read(dir, "timeline.csv").split("\n")[0]);
    expect(read(dir, "twin_timeline.csv").trim().split("\n")).toHaveLength(read(dir, "timeline.csv").trim().split("\n").length);
    expect(read(dir, "benchmark.csv").split("\n")[0]).toBe("date,symbol,close,equity");
  });

  it("rebuilds byte-identical files with `tradeguard report <out>`", () => {
    const before = reportFiles(dir);

    const result = tradeguard("report", dir);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("report.html");
    const after = reportFiles(dir);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [file, bytes] of Object.entries(before)) expect(after[file].equals(bytes), file).toBe(true);
  });

  it("exits 2 with one line when the folder is not a run folder", () => {
    const empty = tempDir("not-a-run");

    const result = tradeguard("report", empty);

    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(`${empty} is not a run folder: no summary.json`)]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nyseCalendar } from "../../src/clock/index.js";
import { resolveConfig } from "../../src/config/index.js";
import { generateSyntheticBars } from "../../src/data/index.js";
import { prepareReplay } from "../../src/job/index.js";

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tradeguard-report-${prefix}-`));
}

/** A feed gap long enough to be STALE_DATA (72 h = 3 sessions) on SYN001. */
const GAP = { symbol: "SYN001", from: 150, to: 156 };

/**
 * A 300-session synthetic replay of two strategies on three symbols with a 3 % halt and 5 % panic,
 * so halts, panics, ramp-ups, rejections and data-quality blocks (short history at the start, a feed gap) all happen.
 */
export async function buildRun(seed: number, outDir = tempDir(`run-${seed}`)): Promise<string> {
  const sessions = nyseCalendar.sessionsBetween("2018-01-02", "2019-12-31").slice(0, 300);
  const bars = generateSyntheticBars({ symbols: 3, from: sessions[0], to: sessions[sessions.length - 1], calendar: nyseCalendar, seed });
  bars.series(GAP.symbol).present.fill(0, GAP.from, GAP.to);
  const { config } = resolveConfig({
    cli: { DRAWDOWN_HALT_THRESHOLD: "0.03", DRAWDOWN_PANIC_THRESHOLD: "0.05", MIN_HISTORY_DAYS: "20", ARTIFACT_RETENTION_DAYS: "1000" },
    env: {},
  });
  const job = prepareReplay({
    bars,
    dataLabel: { synthetic: 3, seed },
    strategies: [
      { name: "momentum_top_n", params: { symbols: "SYN000,SYN001,SYN002", topN: "2" } },
      { name: "sma_cross", params: { symbol: "SYN000", fast: "5", slow: "20" } },
    ],
    config, seed, outDir,
  });
  try {
    await job.run();
  } finally {
    await job.close();
  }
  return outDir;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature and that IHDR comes first. */
export function pngHeader(png: Buffer): { width: number; height: number } {
  expectBytes(png.subarray(0, 8), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  if (png.toString("latin1", 12, 16) !== "IHDR") throw new Error("first chunk is not IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function expectBytes(actual: Buffer, expected: number[], what: string): void {
  if (!actual.equals(Buffer.from(expected))) throw new Error(`${what}: got ${actual.toString("hex")}`);
}

export function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8");
}

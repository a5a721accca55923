import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nyseCalendar } from "../../src/clock/index.js";
import { resolveConfig, type Config } from "../../src/config/index.js";
import { loadBarsCsv, type BarStore } from "../../src/data/index.js";
import { prepareReplay, type PreparedReplay, type ReplayJobOptions } from "../../src/job/index.js";

let sp500: Promise<BarStore> | undefined;

/** The shipped S&P 500 file, loaded once per test file. */
export function loadSp500(): Promise<BarStore> {
  sp500 ??= loadBarsCsv({ files: ["data/sp500-2000.csv"], symbol: "SPX", calendar: nyseCalendar });
  return sp500;
}

export function configWith(overrides: Record<string, string> = {}): Config {
  return resolveConfig({ cli: overrides, env: {} }).config;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tradeguard-${prefix}-`));
}

/** A buy-and-hold replay of SPX with the given configuration overrides. */
export async function spxReplay(options: Partial<ReplayJobOptions> & { overrides?: Record<string, string> } = {}): Promise<PreparedReplay> {
  return prepareReplay({
    bars: await loadSp500(),
    dataLabel: "sp500",
    strategies: [{ name: "buy_and_hold", params: { symbol: "SPX" } }],
    seed: 1,
    outDir: tempDir("run"),
    config: configWith(options.overrides),
    ...options,
  });
}

import { describe, expect, it } from "vitest";
import { ConfigError, CONFIG_KEYS, parseSetArguments, resolveConfig } from "../../src/config/index.js";
import { readFileSync } from "node:fs";

describe("configuration", () => {
  it("uses the seed's defaults", () => {
    const { config, sources } = resolveConfig({ env: {} });
    expect(config.DRAWDOWN_HALT_THRESHOLD).toBe(0.08);
    expect(config.DRAWDOWN_PANIC_THRESHOLD).toBe(0.1);
    expect(config.HALT_COOLDOWN_DAYS).toBe(10);
    expect(config.PANIC_COOLDOWN_DAYS).toBe(20);
    expect(config.RAMPUP_SIZING_PCT).toBe(0.5);
    expect(config.RAMPUP_DAYS).toBe(5);
    expect(config.FLATTEN_ON_PANIC).toBe(true);
    expect(config.DATA_STALENESS_HOURS).toBe(72);
    expect(config.MIN_HISTORY_DAYS).toBe(250);
    expect(config.STRATEGY_DISABLED_LIST).toEqual([]);
    expect(sources.DRY_RUN).toBe("default");
  });

  it("takes --set over the environment over the file over the default", () => {
    const layers = { file: { HALT_COOLDOWN_DAYS: "7", RAMPUP_DAYS: "3", MIN_HISTORY_DAYS: "100" }, env: { HALT_COOLDOWN_DAYS: "8", RAMPUP_DAYS: "4" }, cli: { HALT_COOLDOWN_DAYS: "9" } };
    const { config, sources } = resolveConfig(layers);
    expect([config.HALT_COOLDOWN_DAYS, sources.HALT_COOLDOWN_DAYS]).toEqual([9, "cli"]);
    expect([config.RAMPUP_DAYS, sources.RAMPUP_DAYS]).toEqual([4, "env"]);
    expect([config.MIN_HISTORY_DAYS, sources.MIN_HISTORY_DAYS]).toEqual([100, "file"]);
  });

  it("ignores unrelated environment variables but rejects unknown keys in --set and files", () => {
    expect(() => resolveConfig({ env: { PATH: "/bin" } })).not.toThrow();
    expect(() => resolveConfig({ cli: { DRAWDOWN_HALT: "0.1" } })).toThrow(/--set: unknown configuration key 'DRAWDOWN_HALT'/);
    expect(() => resolveConfig({ file: { dry_run: "true" }, filePath: "bot.yaml" })).toThrow(/bot.yaml: unknown configuration key 'dry_run' \(did you mean DRY_RUN\?\)/);
  });

  it("names the key, the source and what was expected for a bad value", () => {
    expect(() => resolveConfig({ cli: { DRAWDOWN_HALT_THRESHOLD: "eight" } })).toThrow(ConfigError);
    expect(() => resolveConfig({ env: { HALT_COOLDOWN_DAYS: "2.5" } })).toThrow('environment: HALT_COOLDOWN_DAYS="2.5" is invalid: expected a whole number');
    expect(() => resolveConfig({ cli: { FLATTEN_ON_PANIC: "maybe" } })).toThrow("expected true or false");
    expect(() => resolveConfig({ cli: { BROKER_MODE: "real" } })).toThrow("expected one of simulated, paper, live");
    expect(() => resolveConfig({ cli: { DRAWDOWN_HALT_THRESHOLD: "0.2" } })).toThrow(/DRAWDOWN_PANIC_THRESHOLD \(0.1\) must be ≥ DRAWDOWN_HALT_THRESHOLD/);
  });

  it("splits --set pairs and refuses one without '='", () => {
    expect(parseSetArguments(["A=1", "B=x=y"])).toEqual({ A: "1", B: "x=y" });
    expect(() => parseSetArguments(["DRY_RUN"])).toThrow(/expected KEY=VALUE/);
  });

  it("documents every key in the README's configuration table", () => {
    const readme = readFileSync("README.md", "utf8");
    const missing = CONFIG_KEYS.filter((key) => !readme.includes(`| \`${key}\` |`));
    expect(missing).toEqual([]);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, isConfigKey, parseConfigValue, resolveConfig } from "../config/index.js";
import type { StrategySpec } from "../strategies/index.js";
import { session } from "./dates.js";
import { parseExpectation } from "./expectationSchema.js";
import { parseInjection } from "./injectionSchema.js";
import type { CsvSource, DataSpec, DateRange, Golden, Scenario, SyntheticSpec } from "./schema.js";
import {
  At, ScenarioError, boolean, isMapping, list, mapping, nonNegativeInteger, number, optional, positiveInteger,
  positiveNumber, seed, text,
} from "./walker.js";

const TOP_KEYS = ["name", "description", "seed", "capital", "broker", "data", "strategies", "config", "dry_run", "injections", "expect", "golden"];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Reads and validates a YAML or JSON scenario file; throws ScenarioError naming the file (as `shownAs`) and the
 * path inside it. Data paths in the file are relative to its folder.
 */
export function loadScenario(path: string, shownAs = path): Scenario {
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch {
    throw new ScenarioError(shownAs, "", "cannot read the file; check the path");
  }
  return parseScenario(source, shownAs, dirname(path));
}

/** Validates scenario text (YAML, of which JSON is a subset); `file` names it in errors, `baseDir` anchors data paths. */
export function parseScenario(source: string, file: string, baseDir = dirname(file)): Scenario {
  const document = parseDocument(source);
  const [syntax] = document.errors;
  if (syntax) throw new ScenarioError(file, `line ${syntax.linePos?.[0].line ?? "?"}`, syntax.message.split("\n")[0]);
  const root = new At(file, "", document.toJS());
  mapping(root, TOP_KEYS);
  const data = parseData(root.key("data"), baseDir);
  const window: DateRange = { from: data.from, to: data.to };
  const injections = optional(root.key("injections"), (at) => list(at, "injections")) ?? [];
  const expectations = list(root.key("expect"), "expectations");
  if (expectations.length === 0) root.key("expect").fail("at least one expectation");
  return {
    file,
    name: scenarioName(root.key("name")),
    description: optional(root.key("description"), text) ?? "",
    seed: optional(root.key("seed"), seed) ?? "42",
    data,
    strategies: list(root.key("strategies"), "strategies").map(parseStrategy),
    config: parseConfig(root),
    injections: injections.map((at) => parseInjection(at, window)),
    expect: expectations.map((at) => parseExpectation(at, window)),
    golden: optional(root.key("golden"), parseGolden),
  };
}

function scenarioName(at: At): string {
  const name = text(at);
  if (!NAME.test(name)) at.fail("a name of letters, digits, '.', '_' or '-' (it names the run's folder)");
  return name;
}

function parseData(at: At, baseDir: string): DataSpec {
  mapping(at, ["csv", "synthetic", "from", "to", "warmup"]);
  const csv = at.key("csv");
  const synthetic = at.key("synthetic");
  if (csv.present === synthetic.present) at.problem("expected exactly one of `csv` or `synthetic`");
  const from = session(at.key("from"));
  const to = session(at.key("to"));
  if (from > to) at.key("to").problem(`${to} is before from ${from}`);
  return {
    from, to,
    warmup: optional(at.key("warmup"), nonNegativeInteger),
    csv: optional(csv, (node) => csvSources(node, baseDir)),
    synthetic: optional(synthetic, syntheticSpec),
  };
}

function csvSources(at: At, baseDir: string): CsvSource[] {
  const sources = list(at, "CSV sources { path, symbol? }");
  if (sources.length === 0) at.fail("at least one CSV source { path, symbol? }");
  return sources.map((source) => csvSource(source, baseDir));
}

function csvSource(at: At, baseDir: string): CsvSource {
  mapping(at, ["path", "symbol"]);
  const written = text(at.key("path"));
  const path = resolve(baseDir, written);
  if (!existsSync(path)) at.key("path").problem(`file not found: ${path}`);
  return { path, written, symbol: optional(at.key("symbol"), text) };
}

function syntheticSpec(at: At): SyntheticSpec {
  mapping(at, ["symbols", "seed", "start_price", "drift", "volatility", "jump_intensity", "jump_mean", "jump_stdev", "correlation"]);
  const symbols = at.key("symbols");
  return {
    symbols: Array.isArray(symbols.value) ? list(symbols, "symbols").map(text) : positiveInteger(symbols),
    seed: optional(at.key("seed"), seed),
    startPrice: optional(at.key("start_price"), positiveNumber),
    drift: optional(at.key("drift"), number),
    volatility: optional(at.key("volatility"), nonNegative),
    jumpIntensity: optional(at.key("jump_intensity"), nonNegative),
    jumpMean: optional(at.key("jump_mean"), number),
    jumpStdev: optional(at.key("jump_stdev"), nonNegative),
    correlation: optional(at.key("correlation"), unitInterval),
  };
}

function unitInterval(at: At): number {
  const value = number(at);
  if (value < 0 || value > 1) at.fail("a number from 0 to 1");
  return value;
}

function nonNegative(at: At): number {
  const value = number(at);
  if (value < 0) at.fail("a number >= 0");
  return value;
}

function parseStrategy(at: At): StrategySpec {
  mapping(at, ["name", "id", "params"]);
  const params = at.key("params");
  if (params.present && !isMapping(params.value)) params.fail("a mapping of parameter: value");
  return { name: text(at.key("name")), id: optional(at.key("id"), text), params: (params.value as Record<string, unknown>) ?? {} };
}

/** The `config` block plus the top-level shorthands (capital, broker, dry_run), each checked like `--set`. */
function parseConfig(root: At): Record<string, string> {
  const config: Record<string, string> = {};
  const block = root.key("config");
  if (block.present && !isMapping(block.value)) block.fail("a mapping of KEY: value");
  for (const key of Object.keys(block.present ? (block.value as object) : {})) {
    if (!isConfigKey(key)) block.key(key).problem("unknown configuration key; see `tradeguard config` for the list");
    config[key] = configValue(block.key(key), key);
  }
  const broker = root.key("broker");
  if (broker.present) mapping(broker, ["slippage_bps", "commission", "fractional"]);
  const shorthands: [At, string, (at: At) => unknown][] = [
    [root.key("capital"), "INITIAL_CAPITAL", positiveNumber],
    [broker.key("slippage_bps"), "SLIPPAGE_BPS", nonNegative],
    [broker.key("commission"), "COMMISSION_PER_ORDER", nonNegative],
    [broker.key("fractional"), "ALLOW_FRACTIONAL", boolean],
    [root.key("dry_run"), "DRY_RUN", boolean],
  ];
  for (const [at, key, reader] of shorthands) {
    if (!at.present) continue;
    if (config[key] !== undefined) block.key(key).problem(`also set by \`${at.path}\`; set it once`);
    config[key] = String(reader(at));
  }
  try {
    resolveConfig({ cli: config, env: {} });
  } catch (error) {
    if (error instanceof ConfigError) block.problem(error.message);
    throw error;
  }
  return config;
}

function configValue(at: At, key: string): string {
  const value = at.value;
  if (isMapping(value) || value === null || value === undefined) return at.fail("a number, true/false, a string or a list");
  const raw = Array.isArray(value) ? value.join(",") : String(value);
  try {
    parseConfigValue(key as Parameters<typeof parseConfigValue>[0], raw, at.path);
  } catch (error) {
    if (error instanceof ConfigError) at.fail(error.message.replace(/^.*? is invalid: expected /, ""));
    throw error;
  }
  return raw;
}

function parseGolden(at: At): Golden {
  mapping(at, ["events_sha256", "timeline_sha256"]);
  return { eventsSha256: sha256(at.key("events_sha256")), timelineSha256: sha256(at.key("timeline_sha256")) };
}

function sha256(at: At): string {
  if (typeof at.value !== "string" || !SHA256.test(at.value)) return at.fail("a sha256 of 64 lower-case hex digits");
  return at.value;
}

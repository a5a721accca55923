import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { CONFIG_SPEC, type ConfigKey, type ConfigKeySpec } from "./schema.js";
import { ConfigError } from "./errors.js";

type ValueFor<S extends ConfigKeySpec> = S["type"] extends "number" | "integer"
  ? number
  : S["type"] extends "boolean"
    ? boolean
    : S["type"] extends "list"
      ? string[]
      : string;

/** Resolved configuration: one typed value per key. */
export type Config = { readonly [K in ConfigKey]: ValueFor<(typeof CONFIG_SPEC)[K]> };

export type ConfigSource = "default" | "file" | "env" | "cli";

export interface ResolvedConfig {
  config: Config;
  /** Where each value came from, for the run record and `config show`. */
  sources: Record<ConfigKey, ConfigSource>;
}

export { ConfigError };

export const CONFIG_KEYS = Object.keys(CONFIG_SPEC) as ConfigKey[];

export function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(CONFIG_SPEC, key);
}

/** Parses one raw value for `key`; `origin` names where it came from in the error. */
export function parseConfigValue(key: ConfigKey, raw: string, origin: string): Config[ConfigKey] {
  const spec: ConfigKeySpec = CONFIG_SPEC[key];
  const text = raw.trim();
  const fail = (expected: string): never => {
    throw new ConfigError(`${origin}: ${key}=${JSON.stringify(raw)} is invalid: expected ${expected}`);
  };
  switch (spec.type) {
    case "boolean":
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      return fail("true or false");
    case "number":
    case "integer": {
      const value = text === "" ? Number.NaN : Number(text);
      if (!Number.isFinite(value)) return fail(`a ${spec.type}`);
      if (spec.type === "integer" && !Number.isInteger(value)) return fail("a whole number");
      if (spec.min !== undefined && value < spec.min) return fail(`a value ≥ ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) return fail(`a value ≤ ${spec.max}`);
      return value;
    }
    case "list":
      return text === "" ? [] : text.split(",").map((item) => item.trim()).filter((item) => item !== "");
    case "enum":
      if (!spec.choices?.includes(text)) return fail(`one of ${spec.choices?.join(", ")}`);
      return text;
    case "string":
      return text;
  }
}

/** Reads a YAML or JSON file of `KEY: value` pairs. */
export function readConfigFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path}: cannot read config file: ${(error as Error).message.split("\n")[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: expected a mapping of KEY: value pairs`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, Array.isArray(value) ? value.join(",") : String(value)]));
}

/** Splits `--set KEY=VALUE` arguments. */
export function parseSetArguments(pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new ConfigError(`--set ${pair}: expected KEY=VALUE, e.g. --set DRAWDOWN_HALT_THRESHOLD=0.05`);
    result[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return result;
}

export interface ConfigLayers {
  file?: Record<string, string>;
  filePath?: string;
  /** The process environment; only known keys are read from it. */
  env?: Readonly<Record<string, string | undefined>>;
  cli?: Record<string, string>;
}

/** Resolves every key with precedence CLI `--set` > environment > config file > defaults. */
export function resolveConfig(layers: ConfigLayers): ResolvedConfig {
  rejectUnknownKeys(layers.file, layers.filePath ?? "config file");
  rejectUnknownKeys(layers.cli, "--set");
  const values: Record<string, unknown> = {};
  const sources = {} as Record<ConfigKey, ConfigSource>;
  for (const key of CONFIG_KEYS) {
    const [raw, source, origin] = pickLayer(key, layers);
    values[key] = parseConfigValue(key, raw, origin);
    sources[key] = source;
  }
  const config = values as Config;
  if (config.DRAWDOWN_PANIC_THRESHOLD < config.DRAWDOWN_HALT_THRESHOLD) {
    throw new ConfigError(
      `DRAWDOWN_PANIC_THRESHOLD (${config.DRAWDOWN_PANIC_THRESHOLD}) must be ≥ DRAWDOWN_HALT_THRESHOLD (${config.DRAWDOWN_HALT_THRESHOLD})`,
    );
  }
  return { config, sources };
}

function pickLayer(key: ConfigKey, layers: ConfigLayers): [string, ConfigSource, string] {
  const cli = layers.cli?.[key];
  if (cli !== undefined) return [cli, "cli", "--set"];
  const env = layers.env?.[key];
  if (env !== undefined) return [env, "env", "environment"];
  const file = layers.file?.[key];
  if (file !== undefined) return [file, "file", layers.filePath ?? "config file"];
  return [CONFIG_SPEC[key].default, "default", "default"];
}

function rejectUnknownKeys(layer: Record<string, string> | undefined, origin: string): void {
  for (const key of Object.keys(layer ?? {})) {
    if (!isConfigKey(key)) {
      const hint = CONFIG_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
      throw new ConfigError(`${origin}: unknown configuration key '${key}'${hint ? ` (did you mean ${hint}?)` : "; see README's configuration table"}`);
    }
  }
}

/** The configuration with secrets masked, safe to store and print. */
export function redactConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(
    CONFIG_KEYS.map((key) => {
      const spec: ConfigKeySpec = CONFIG_SPEC[key];
      const value = config[key];
      return [key, spec.secret && value !== "" ? "***" : value];
    }),
  );
}

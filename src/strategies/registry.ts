import { buyAndHoldDefinition } from "./buyAndHold.js";
import { momentumTopNDefinition } from "./momentumTopN.js";
import { paramError, StrategyConfigError, type ParamInfo, type StrategyDefinition } from "./params.js";
import { smaCrossDefinition } from "./smaCross.js";
import type { Strategy } from "./types.js";

const DEFINITIONS: readonly StrategyDefinition[] = [buyAndHoldDefinition, smaCrossDefinition, momentumTopNDefinition];

/** Which built-in strategy to run and with what; params may be strings straight from a CLI (`fast=20`). */
export interface StrategySpec {
  name: string;
  id?: string;
  params?: Record<string, unknown>;
}

/** A built-in strategy as documented by `--help` and the README. */
export interface StrategyInfo {
  name: string;
  description: string;
  params: ParamInfo[];
}

/** The built-in strategies and their parameters. */
export function listStrategies(): StrategyInfo[] {
  return DEFINITIONS.map((definition) => ({
    name: definition.name,
    description: definition.description,
    params: definition.params.map((param) => ({ ...param })),
  }));
}

/** A built-in strategy from its spec; `defaultSymbol` fills a missing `symbol`/`symbols` param. */
export function createStrategy(spec: StrategySpec, defaultSymbol?: string): Strategy {
  const definition = DEFINITIONS.find((candidate) => candidate.name === spec.name);
  if (!definition) {
    const known = DEFINITIONS.map((candidate) => candidate.name).join(", ");
    throw new StrategyConfigError(`unknown strategy ${JSON.stringify(spec.name)}; known strategies: ${known}`);
  }
  rejectUnknownParams(definition, spec.params ?? {});
  const params: Record<string, unknown> = {};
  for (const param of definition.params) {
    const value = spec.params?.[param.name] ?? defaultFor(param, defaultSymbol);
    if (value !== undefined) params[param.name] = coerce(definition.name, param, value);
  }
  return definition.create(spec.id, params);
}

function rejectUnknownParams(definition: StrategyDefinition, params: Record<string, unknown>): void {
  const known = definition.params.map((param) => param.name);
  const unknown = Object.keys(params).find((name) => !known.includes(name));
  if (unknown !== undefined) paramError(definition.name, `unknown param ${unknown}; known params: ${known.join(", ")}`);
}

function defaultFor(param: ParamInfo, defaultSymbol: string | undefined): unknown {
  if (defaultSymbol === undefined) return undefined;
  if (param.type === "symbol") return defaultSymbol;
  if (param.type === "symbols") return [defaultSymbol];
  return undefined;
}

/** Turns CLI strings into the param's type; the strategy itself then checks the value's range. */
function coerce(strategy: string, param: ParamInfo, value: unknown): unknown {
  switch (param.type) {
    case "integer":
      return toNumber(strategy, param.name, value);
    case "symbol":
      return toText(strategy, param.name, value);
    case "symbols":
      return toSymbolList(strategy, param.name, value);
  }
}

function toNumber(strategy: string, name: string, value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^[+-]?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return paramError(strategy, `${name} must be a number, got ${JSON.stringify(value)}`);
}

function toText(strategy: string, name: string, value: unknown): string {
  if (typeof value === "string") return value.trim();
  return paramError(strategy, `${name} must be a string, got ${JSON.stringify(value)}`);
}

function toSymbolList(strategy: string, name: string, value: unknown): string[] {
  const items = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(items)) return paramError(strategy, `${name} must be a comma-separated list, got ${JSON.stringify(value)}`);
  return items.map((item) => toText(strategy, name, item));
}

import { buyAndHoldDefinition } from "./buyAndHold.js";
import { momentumTopNDefinition } from "./momentumTopN.js";
import { fraction, paramError, StrategyConfigError, type ParamInfo, type StrategyDefinition } from "./params.js";
import { smaCrossDefinition } from "./smaCross.js";
import type { Strategy, StrategyAllocation } from "./types.js";

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

/** Parameters every strategy takes: how much of the account it trades and how far a holding may drift before it rebalances. */
export const ALLOCATION_PARAMS: readonly ParamInfo[] = Object.freeze([
  { name: "weight", type: "fraction", description: "Share of equity, in (0, 1]; weights sum to at most 1, unweighted strategies split the rest equally." },
  { name: "rebalance_band", type: "fraction", description: "Overrides REBALANCE_BAND: trade a holding back only when its weight is more than this off target." },
]);

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
  const { weight, rebalance_band: rebalanceBand, ...own } = spec.params ?? {};
  rejectUnknownParams(definition, own);
  const params: Record<string, unknown> = {};
  for (const param of definition.params) {
    const value = own[param.name] ?? defaultFor(param, defaultSymbol);
    if (value !== undefined) params[param.name] = coerce(definition.name, param, value);
  }
  const strategy = definition.create(spec.id, params);
  const allocation = allocationOf(definition.name, weight, rebalanceBand);
  // The allocation belongs to this instance in this run, not to the strategy class, so it is attached here.
  return allocation ? Object.assign(strategy, { allocation }) : strategy;
}

function allocationOf(strategy: string, weight: unknown, rebalanceBand: unknown): StrategyAllocation | undefined {
  if (weight === undefined && rebalanceBand === undefined) return undefined;
  const allocation: StrategyAllocation = {};
  if (weight !== undefined) allocation.weight = fraction(strategy, "weight", toNumber(strategy, "weight", weight), false);
  if (rebalanceBand !== undefined) allocation.rebalanceBand = fraction(strategy, "rebalance_band", toNumber(strategy, "rebalance_band", rebalanceBand), true);
  return allocation;
}

function rejectUnknownParams(definition: StrategyDefinition, params: Record<string, unknown>): void {
  const known = [...definition.params, ...ALLOCATION_PARAMS].map((param) => param.name);
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
    case "fraction":
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

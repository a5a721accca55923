import type { Strategy } from "./types.js";

/** How a strategy parameter is written: one ticker, a comma-separated ticker list, a whole number or a fraction. */
export type ParamType = "symbol" | "symbols" | "integer" | "fraction";

/** One parameter of a built-in strategy, as shown by `--help` and the README. */
export interface ParamInfo {
  name: string;
  type: ParamType;
  default?: unknown;
  description: string;
}

/** A built-in strategy: its documentation and a constructor from parameters already coerced to their types. */
export interface StrategyDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamInfo[];
  create(id: string | undefined, params: Readonly<Record<string, unknown>>): Strategy;
}

// The checks below look at runtime values, not just the declared types: params also arrive from YAML and the CLI.

/** A strategy that cannot be built as asked (unknown name, bad parameter): the user's input to fix. */
export class StrategyConfigError extends Error {
  override name = "StrategyConfigError";
}

/** Throws the house-style parameter error: `<strategy>: <message>`. */
export function paramError(strategy: string, message: string): never {
  throw new StrategyConfigError(`${strategy}: ${message}`);
}

/** A whole number ≥ 1, or the error naming the strategy and the parameter. */
export function positiveInteger(strategy: string, param: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) paramError(strategy, `${param} (${value}) must be a whole number >= 1`);
  return value;
}

/** A ticker: non-empty, without whitespace or commas (they separate symbol lists). */
export function symbolName(strategy: string, param: string, value: string): string {
  if (value === undefined) paramError(strategy, `${param} is required`);
  if (typeof value !== "string" || !/^[^\s,]+$/.test(value)) {
    paramError(strategy, `${param} (${JSON.stringify(value)}) must be a ticker symbol without spaces or commas`);
  }
  return value;
}

/** A non-empty list of distinct tickers. */
export function symbolList(strategy: string, param: string, values: readonly string[]): string[] {
  if (values === undefined) paramError(strategy, `${param} is required`);
  if (!Array.isArray(values) || values.length === 0) paramError(strategy, `${param} must list at least one symbol`);
  const symbols = values.map((value) => symbolName(strategy, param, value));
  const duplicate = symbols.find((symbol, index) => symbols.indexOf(symbol) !== index);
  if (duplicate !== undefined) paramError(strategy, `${param} lists ${duplicate} twice`);
  return symbols;
}

/** A strategy id: the given one when non-empty, else the strategy's name. */
export function strategyId(strategy: string, id: string | undefined): string {
  if (id === undefined) return strategy;
  if (typeof id !== "string" || id.trim() === "") paramError(strategy, `id (${JSON.stringify(id)}) must be a non-empty string`);
  return id;
}

/** A number in [0, 1] (or (0, 1] when `zeroAllowed` is false). */
export function fraction(strategy: string, param: string, value: number, zeroAllowed: boolean): number {
  const low = zeroAllowed ? value >= 0 : value > 0;
  if (!Number.isFinite(value) || !low || value > 1) paramError(strategy, `${param} (${value}) must be a number in ${zeroAllowed ? "[0, 1]" : "(0, 1]"}`);
  return value;
}

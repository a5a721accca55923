import type { BrokerFault } from "../broker/index.js";
import type { SessionDate } from "../clock/index.js";
import type { BarField } from "../data/index.js";
import type { DrawdownMode, HealthStatus } from "../safety/index.js";
import type { StrategySpec } from "../strategies/index.js";

/** A scenario as validated: everything a run needs, with paths resolved against the scenario's folder. */
export interface Scenario {
  /** The file as named by the user (used in every message). */
  file: string;
  name: string;
  description: string;
  seed: string | number;
  data: DataSpec;
  strategies: StrategySpec[];
  /** Configuration overrides as raw strings (already checked), top-level shorthands included. */
  config: Record<string, string>;
  injections: Injection[];
  expect: Expectation[];
  golden?: Golden;
}

/** Where a scenario's bars come from, and the replay window. */
export interface DataSpec {
  from: SessionDate;
  to: SessionDate;
  /** Sessions of history before `from` (generated for synthetic data, kept for CSV data). */
  warmup?: number;
  csv?: CsvSource[];
  synthetic?: SyntheticSpec;
}

export interface CsvSource {
  /** Absolute path, resolved against the scenario's folder. */
  path: string;
  /** The path as written in the file: what the run id hashes, so it is the same in every clone. */
  written: string;
  symbol?: string;
}

/** The synthetic generator's parameters (see `generateSyntheticBars`). */
export interface SyntheticSpec {
  symbols: number | string[];
  seed?: string | number;
  startPrice?: number;
  drift?: number;
  volatility?: number;
  jumpIntensity?: number;
  jumpMean?: number;
  jumpStdev?: number;
  /** Target pairwise correlation of the symbols' returns (a market factor); unset keeps them independent. */
  correlation?: number;
}

/** Pins the sha256 of the run's events.jsonl and timeline.csv, so determinism is checked on every run. */
export interface Golden {
  eventsSha256: string;
  timelineSha256: string;
}

/** Where an injection or expectation sits in its file, e.g. `injections[2].stale_feed`, for messages. */
interface Located {
  path: string;
}

/** A fault applied by the replay on the clock, never by editing data files. */
export type Injection = Located &
  (
    | { kind: "stale_feed"; symbol: string; from: SessionDate; sessions: number }
    | { kind: "nan_values"; symbol: string; date: SessionDate; fields: BarField[] }
    | { kind: "bad_bar"; symbol: string; date: SessionDate; values: Partial<Record<BarField, number>> }
    | { kind: "price_shock"; symbol: string; date: SessionDate; pct: number }
    | { kind: "drawdown"; date: SessionDate; to: number }
    | { kind: "broker_fault"; from: SessionDate; sessions: number; fault: BrokerFault["kind"]; rate: number }
    | { kind: "kill_switch"; date: SessionDate; on: boolean; strategy?: string }
    | { kind: "restart"; date: SessionDate }
    | { kind: "reconciliation_drift"; date: SessionDate; symbol: string; qty: number }
  );

export type InjectionKind = Injection["kind"];

/** Inclusive range of sessions an expectation looks at. */
export interface DateRange {
  from: SessionDate;
  to: SessionDate;
}

/** How many of something: exactly `count`, or within `min`..`max`. */
export interface CountSpec {
  count?: number;
  min?: number;
  max?: number;
}

/** An assertion checked after the replay, from the run's store and output files. */
export type Expectation = Located &
  (
    | { kind: "state"; range: DateRange; is: DrawdownMode }
    | { kind: "event"; type: string; range?: DateRange; count: CountSpec; reason?: string; symbol?: string; strategy?: string; detailContains?: string }
    | { kind: "no_entries"; range: DateRange; strategy?: string }
    | { kind: "multiplier"; range: DateRange; is: number }
    | { kind: "blocked"; symbol: string; range: DateRange; reason: string }
    | { kind: "not_blocked"; symbol: string; range: DateRange; reason?: string }
    | { kind: "artifact"; artifact: string; date?: SessionDate; exists: boolean; contains?: string }
    | { kind: "health"; strategy: string; status: HealthStatus; date?: SessionDate; window: "short" | "long" }
    | { kind: "orders"; count: CountSpec; side?: "buy" | "sell" }
    | { kind: "emails"; subjectContains: string; count: CountSpec }
    | { kind: "equity"; date: SessionDate; min?: number; max?: number }
    | { kind: "max_drawdown"; below?: number; above?: number }
  );

export type ExpectationKind = Expectation["kind"];

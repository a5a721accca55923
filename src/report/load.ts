import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SimulatedClock } from "../clock/index.js";
import type { FunnelReport, RejectionRow, StrategyHealth } from "../safety/index.js";
import { openStore } from "../store/index.js";
import { BENCHMARK_HEADER, TIMELINE_HEADER, type RunSummary, type TwinSummary } from "./runFiles.js";
import { parseTrades, type Trade } from "./trades.js";

/** `<out>` is not a folder a run left behind: the CLI prints this one line and exits 2. */
export class RunFolderError extends Error {
  override name = "RunFolderError";
}

/** One row of timeline.csv: the account at a session's close and the safety state that governed it. */
export interface TimelineRow {
  date: string;
  equity: number;
  highWaterMark: number;
  drawdown: number;
  state: string;
  sizingMultiplier: number;
  ordersSubmitted: number;
}

/** One line of events.jsonl. */
export interface RunEvent {
  date: string;
  time: string;
  type: string;
  reason: string;
  strategy?: string;
  symbol?: string;
  detail: string;
  data?: Record<string, unknown>;
}

/** A weekly_health artifact: each strategy's short- and long-window health on one date. */
export interface WeeklyHealth {
  date: string;
  strategies: { strategy: string; short: StrategyHealth; long: StrategyHealth }[];
}

/** A why_no_trade_summary artifact: why each strategy placed no order on one date. */
export interface WhyNoTrade {
  date: string;
  state: string;
  strategies: { strategy: string; reasons: { stage: string; reason: string; count: number; symbols: string[] }[]; summary: string }[];
}

/** What the store adds to the files: how the run was started. */
export interface RunInfo {
  mode: string;
  status: string;
  config: Record<string, unknown>;
  args: { from?: string; to?: string; seed?: string | number; strategies?: { name: string; id?: string; params?: Record<string, unknown> }[] };
}

/** Everything a report shows about one run. */
export interface RunData {
  summary: RunSummary;
  timeline: TimelineRow[];
  events: RunEvent[];
  funnel: FunnelReport;
  rejections: RejectionRow[];
  weeklyHealth: WeeklyHealth[];
  whyNoTrade: WhyNoTrade[];
  /** Absent when the run folder holds no tradeguard.db. */
  run?: RunInfo;
  /** Round trips from trades.csv (empty when the folder has none). */
  trades: Trade[];
  /** The unguarded twin's summary and sessions (absent with --no-twin). */
  twin?: { summary: TwinSummary; timeline: TimelineRow[] };
  /** Buy-and-hold of the benchmark symbol from benchmark.csv. */
  benchmark?: Benchmark;
  /** What a scenario run leaves in scenario.json: its name, description, injections and expectations. */
  scenario?: ScenarioInfo;
}

/** Buy-and-hold of one symbol: `equity` is the initial capital invested at the first session's close. */
export interface Benchmark {
  symbol: string;
  rows: { date: string; close: number; equity: number }[];
}

/** A scenario's identity and verdicts, written by the scenario runner next to the run's files. */
export interface ScenarioInfo {
  name: string;
  description: string;
  injections: unknown[];
  expectations: { expectation: string; ok: boolean; expected: string; actual: string; date?: string }[];
}

/** Reads a run folder: the files first, the store only for the run's configuration and arguments. */
export function loadRun(outDir: string): RunData {
  assertRunFolder(outDir);
  const summary = readJson<RunSummary>(join(outDir, "summary.json"));
  const run = readRunInfo(outDir, summary.run_id);
  const events = readJsonLines<RunEvent>(join(outDir, "events.jsonl"));
  return {
    summary,
    timeline: parseTimeline(readFileSync(join(outDir, "timeline.csv"), "utf8")),
    events,
    funnel: readJsonIfPresent<FunnelReport>(join(outDir, "signal_funnel.json")) ?? { stages: [], strategies: {} },
    rejections: rejectionRows(readJsonIfPresent(join(outDir, "signal_rejections.json"))),
    weeklyHealth: weeklyHealthFromEvents(events),
    whyNoTrade: readArtifacts<WhyNoTrade>(outDir, "why_no_trade_summary"),
    ...(run ? { run } : {}),
    trades: existsSync(join(outDir, "trades.csv")) ? parseTrades(readFileSync(join(outDir, "trades.csv"), "utf8")) : [],
    ...twinOf(outDir, summary),
    ...benchmarkOf(outDir),
    ...scenarioOf(outDir),
  };
}

function twinOf(outDir: string, summary: RunSummary): Pick<RunData, "twin"> {
  const path = join(outDir, "twin_timeline.csv");
  if (!summary.twin || !existsSync(path)) return {};
  return { twin: { summary: summary.twin, timeline: parseTimeline(readFileSync(path, "utf8")) } };
}

function benchmarkOf(outDir: string): Pick<RunData, "benchmark"> {
  const path = join(outDir, "benchmark.csv");
  if (!existsSync(path)) return {};
  const [header, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  if (header !== BENCHMARK_HEADER || lines.length === 0) return {};
  const rows = lines.map((line) => line.split(","));
  return { benchmark: { symbol: rows[0][1], rows: rows.map(([date, , close, equity]) => ({ date, close: Number(close), equity: Number(equity) })) } };
}

function scenarioOf(outDir: string): Pick<RunData, "scenario"> {
  const scenario = readJsonIfPresent<ScenarioInfo>(join(outDir, "scenario.json"));
  return scenario ? { scenario } : {};
}

/** The weekly `health_scored` events, grouped by date (the weekly_health artifacts may have been retired). */
function weeklyHealthFromEvents(events: readonly RunEvent[]): WeeklyHealth[] {
  const byDate = new Map<string, WeeklyHealth>();
  for (const event of events) {
    if (event.type !== "health_scored" || event.strategy === undefined) continue;
    const week = byDate.get(event.date) ?? { date: event.date, strategies: [] };
    const { short, long } = event.data as { short: StrategyHealth; long: StrategyHealth };
    week.strategies.push({ strategy: event.strategy, short, long });
    byDate.set(event.date, week);
  }
  return [...byDate.values()];
}

const RUN_FILES = ["summary.json", "timeline.csv"];

function assertRunFolder(outDir: string): void {
  const missing = RUN_FILES.find((file) => !existsSync(join(outDir, file)));
  if (missing) throw new RunFolderError(`${outDir} is not a run folder: no ${missing} (write one with \`tradeguard run --out ${outDir}\`)`);
}

/** Parses timeline.csv (header TIMELINE_HEADER). */
export function parseTimeline(csv: string): TimelineRow[] {
  const [header, ...lines] = csv.trimEnd().split("\n");
  if (header !== TIMELINE_HEADER) throw new RunFolderError(`timeline.csv: expected header ${TIMELINE_HEADER}, got ${header}`);
  return lines.map((line) => {
    const [date, equity, highWaterMark, drawdown, state, sizingMultiplier, ordersSubmitted] = line.split(",");
    return {
      date, state,
      equity: Number(equity), highWaterMark: Number(highWaterMark), drawdown: Number(drawdown),
      sizingMultiplier: Number(sizingMultiplier), ordersSubmitted: Number(ordersSubmitted),
    };
  });
}

/** signal_rejections.json: `{ run_id, rejections: [...] }`. */
function rejectionRows(file: unknown): RejectionRow[] {
  const rows = (file as { rejections?: unknown } | null)?.rejections;
  return Array.isArray(rows) ? (rows as RejectionRow[]) : [];
}

function readRunInfo(outDir: string, runId: string): RunInfo | undefined {
  const path = join(outDir, "tradeguard.db");
  if (!existsSync(path)) return undefined;
  // Reading writes nothing, so the clock's time never lands anywhere.
  const store = openStore(path, new SimulatedClock(0));
  try {
    const run = store.getRun(runId);
    if (!run) return undefined;
    return { mode: run.mode, status: run.status, config: run.config as RunInfo["config"], args: run.args as RunInfo["args"] };
  } finally {
    store.close();
  }
}

function readArtifacts<T>(outDir: string, kind: string): T[] {
  const dir = join(outDir, "artifacts", kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => readJson<T>(join(dir, file)));
}

function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

function readJsonIfPresent<T>(path: string): T | undefined {
  return existsSync(path) ? readJson<T>(path) : undefined;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new RunFolderError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The halt and panic drawdown thresholds of the run: its stored configuration, else the events that crossed them. */
export function drawdownThresholds(data: RunData): { halt?: number; panic?: number } {
  const fromConfig = (key: string) => {
    const value = data.run?.config[key];
    return typeof value === "number" ? value : undefined;
  };
  const fromEvent = (type: string) => {
    const value = data.events.find((event) => event.type === type)?.data?.threshold;
    return typeof value === "number" ? value : undefined;
  };
  const halt = fromConfig("DRAWDOWN_HALT_THRESHOLD") ?? fromEvent("drawdown_halt");
  const panic = fromConfig("DRAWDOWN_PANIC_THRESHOLD") ?? fromEvent("drawdown_panic");
  return { ...(halt !== undefined ? { halt } : {}), ...(panic !== undefined ? { panic } : {}) };
}

import type { ChartImage } from "./charts.js";
import { dataQualityBlocks, SAFETY_EVENT_TYPES } from "./derive.js";
import { percent, money, count } from "./format.js";
import { drawdownThresholds, type RunData, type RunInfo, type WhyNoTrade } from "./load.js";
import { METRIC_DEFINITIONS, runMetrics, type RunMetrics } from "./metrics.js";

/** How a verdict or a cell should strike the reader. */
export type Tone = "good" | "warn" | "bad";

/** A table cell: plain text, or text with a tone and/or a link to another run's report folder. */
export type Cell = string | { text: string; tone?: Tone; reportDir?: string };

export interface Table {
  headers: string[];
  rows: Cell[][];
}

/** A chart as a report shows it: `file` is its path relative to the report. */
export interface ChartRef {
  file: string;
  title: string;
  caption: string;
  png: Buffer;
}

export interface ReportSection {
  id: string;
  title: string;
  paragraphs: string[];
  table?: Table;
  charts?: ChartRef[];
}

/** The facts of a report, shared by its HTML and Markdown renderings. */
export interface ReportView {
  title: string;
  headline: string[];
  verdict: { text: string; tone: Tone };
  sections: ReportSection[];
}

/** Most rows of the safety timeline a report prints; events.jsonl holds them all. */
const MAX_TIMELINE_ROWS = 200;

/** The view of one run's report. */
export function runReportView(data: RunData, charts: readonly ChartImage[]): ReportView {
  const metrics = runMetrics(data);
  const { summary } = data;
  return {
    title: `tradeguard run ${summary.run_id}`,
    headline: [
      `Replayed ${strategiesText(data)} over ${summary.sessions} sessions, ${summary.first_session ?? "—"} to ${summary.last_session ?? "—"}${runSettingsText(data.run)}.`,
      `Equity ${money(summary.initial_capital)} → ${money(summary.final_equity)} (${percent(metrics.totalReturn)}); ${summary.orders} orders, ${summary.fills} fills${summary.dry_run ? " (DRY_RUN: nothing reached the broker)" : ""}.`,
    ],
    verdict: verdict(metrics, data),
    sections: [
      { id: "metrics", title: "Metrics", paragraphs: [], table: metricsTable(metrics) },
      strategiesSection(data),
      { id: "charts", title: "Charts", paragraphs: [], charts: charts.map((chart) => ({ ...chart, file: `charts/${chart.name}.png` })) },
      safetySection(data),
      whyNoTradeSection(data.whyNoTrade),
      dataQualitySection(data),
    ],
  };
}

function strategiesText(data: RunData): string {
  const specs = data.run?.args.strategies;
  if (!specs || specs.length === 0) return Object.keys(data.funnel.strategies).join(", ") || "no strategy";
  return specs
    .map((spec) => {
      const params = Object.entries(spec.params ?? {}).map(([key, value]) => `${key}=${String(value)}`);
      return `${spec.id ?? spec.name}${params.length ? ` (${params.join(", ")})` : ""}`;
    })
    .join("; ");
}

function runSettingsText(run: RunInfo | undefined): string {
  if (!run) return "";
  const seed = run.args.seed === undefined ? "" : `, seed ${String(run.args.seed)}`;
  return ` on the ${run.mode} broker${seed}`;
}

function verdict(metrics: RunMetrics, data: RunData): ReportView["verdict"] {
  const finalState = data.timeline.at(-1)?.state ?? "ACTIVE";
  const failedChecks = data.events.filter((event) => event.type === "health_check_failed").length;
  const checks = failedChecks > 0 ? `; ${failedChecks} health check(s) failed` : "";
  const tail = `Ended ${finalState}${checks}.`;
  if (metrics.panics > 0) {
    return { tone: "bad", text: `Drawdown reached PANIC ${metrics.panics}× and halted trading ${metrics.halts}×; new entries were blocked for ${metrics.sessionsHalted} sessions. ${tail}` };
  }
  if (metrics.halts > 0) {
    return { tone: "warn", text: `Drawdown halted trading ${metrics.halts}× (no panic); new entries were blocked for ${metrics.sessionsHalted} sessions. ${tail}` };
  }
  return { tone: failedChecks > 0 ? "warn" : "good", text: `No drawdown rule fired. ${tail}` };
}

function metricsTable(metrics: RunMetrics): Table {
  const values: Record<keyof RunMetrics, string> = {
    totalReturn: percent(metrics.totalReturn),
    cagr: optional(metrics.cagr, percent),
    maxDrawdown: `${percent(metrics.maxDrawdown.drawdown)}${metrics.maxDrawdown.peak ? ` (${metrics.maxDrawdown.peak} → ${metrics.maxDrawdown.trough})` : ""}`,
    volatility: optional(metrics.volatility, percent),
    sharpe: optional(metrics.sharpe, (value) => value.toFixed(2)),
    halts: count(metrics.halts),
    panics: count(metrics.panics),
    sessionsHalted: count(metrics.sessionsHalted),
    orders: count(metrics.orders),
    rejectionRate: optional(metrics.rejectionRate, percent),
  };
  const keys = Object.keys(METRIC_DEFINITIONS) as (keyof RunMetrics)[];
  return {
    headers: ["Metric", "Value", "Definition"],
    rows: keys.map((key) => [METRIC_DEFINITIONS[key].label, values[key], METRIC_DEFINITIONS[key].definition]),
  };
}

/** Each strategy's own P&L from its own fills (summary.json `strategies`). */
function strategiesSection(data: RunData): ReportSection {
  const rows = Object.entries(data.summary.strategies ?? {}).map(([id, pnl]): Cell[] => [
    id,
    { text: money(pnl.total_pnl), tone: pnl.total_pnl < 0 ? "bad" : "good" },
    money(pnl.realized_pnl),
    money(pnl.unrealized_pnl),
    money(pnl.commissions),
    count(pnl.orders),
  ]);
  return {
    id: "strategies",
    title: "Strategies",
    paragraphs: ["P&L of each strategy from its own orders and fills, marked at the last good close; the totals add up to the account's."],
    table: { headers: ["Strategy", "P&L", "Realized", "Unrealized", "Commissions", "Orders"], rows },
  };
}

function safetySection(data: RunData): ReportSection {
  const events = data.events.filter((event) => SAFETY_EVENT_TYPES.includes(event.type));
  const shown = events.slice(0, MAX_TIMELINE_ROWS);
  const { halt, panic } = drawdownThresholds(data);
  const limits = halt === undefined || panic === undefined ? [] : [`Entries halt at a ${percent(halt)} drawdown from the high-water mark and the run panics at ${percent(panic)}.`];
  const more = events.length > shown.length ? [`Showing the first ${shown.length} of ${events.length} safety events; events.jsonl holds them all.`] : [];
  return {
    id: "safety",
    title: "Safety timeline",
    paragraphs: events.length === 0 ? [...limits, "No halt, panic, health check or ramp-up happened."] : [...limits, ...more],
    ...(shown.length ? { table: { headers: ["Date", "Event", "Reason", "Detail"], rows: shown.map((event) => [event.date, { text: event.type, tone: toneOf(event.type) }, event.reason, event.detail]) } } : {}),
  };
}

function toneOf(type: string): Tone | undefined {
  if (type === "drawdown_panic" || type.endsWith("_failed") || type === "reconciliation_mismatch" || type === "broker_unreachable") return "bad";
  if (type === "drawdown_halt") return "warn";
  if (type === "health_check_passed" || type === "rampup_ended") return "good";
  return undefined;
}

function whyNoTradeSection(artifacts: readonly WhyNoTrade[]): ReportSection {
  const base = { id: "why-no-trade", title: "Why no trade" };
  if (artifacts.length === 0) return { ...base, paragraphs: ["Every session placed an order, or no why_no_trade_summary artifact was kept."] };
  const latest = artifacts[artifacts.length - 1];
  return {
    ...base,
    paragraphs: [
      `${artifacts.length} sessions without an order have a why_no_trade_summary artifact (${artifacts[0].date} to ${latest.date}; older ones are deleted after ARTIFACT_RETENTION_DAYS).`,
      `Latest, ${latest.date} (${latest.state}): ${latest.strategies.map((entry) => entry.summary).join(" · ")}`,
    ],
    table: { headers: ["Strategy", "Sessions without a trade", "Most frequent reasons"], rows: noTradeRows(artifacts) },
  };
}

function noTradeRows(artifacts: readonly WhyNoTrade[]): Cell[][] {
  const byStrategy = new Map<string, { sessions: number; reasons: Map<string, number> }>();
  for (const artifact of artifacts) {
    for (const entry of artifact.strategies) {
      const tally = byStrategy.get(entry.strategy) ?? { sessions: 0, reasons: new Map<string, number>() };
      tally.sessions += 1;
      const reasons = entry.reasons.length ? entry.reasons.map((r) => [`${r.reason} at ${r.stage}`, r.count] as const) : [["no signal generated", 1] as const];
      for (const [reason, n] of reasons) tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + n);
      byStrategy.set(entry.strategy, tally);
    }
  }
  return [...byStrategy.entries()].map(([strategy, tally]) => [strategy, count(tally.sessions), topReasons(tally.reasons)]);
}

function topReasons(reasons: Map<string, number>): string {
  return [...reasons.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([reason, n]) => `${reason} ×${n}`)
    .join("; ");
}

function dataQualitySection(data: RunData): ReportSection {
  const blocks = dataQualityBlocks(data.events);
  const base = { id: "data-quality", title: "Data-quality blocks" };
  if (blocks.length === 0) return { ...base, paragraphs: ["No symbol was blocked for data quality."] };
  return {
    ...base,
    paragraphs: ["Sessions a symbol was kept out of trading because its data failed a check (symbol_blocked events)."],
    table: {
      headers: ["Symbol", "Reason", "Sessions blocked", "First", "Last"],
      rows: blocks.map((block) => [block.symbol, block.reason, count(block.dates.length), block.dates[0], block.dates[block.dates.length - 1]]),
    },
  };
}

function optional(value: number | null, format: (value: number) => string): string {
  return value === null ? "n/a" : format(value);
}

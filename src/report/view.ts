import type { ChartImage } from "./charts.js";
import { dataQualityBlocks, readableDetail, SAFETY_EVENT_TYPES } from "./derive.js";
import { percent, money, count } from "./format.js";
import type { InteractiveChart } from "./interactive.js";
import { drawdownThresholds, type RunData, type RunInfo, type WhyNoTrade } from "./load.js";
import { METRIC_DEFINITIONS, runMetrics, type RunMetrics } from "./metrics.js";
import { checklistSection, episodesSection, monthlySection, tradesSection, twinSection, twinSentence } from "./sections.js";
import { interactiveCharts } from "./timeSeries.js";

/** How a verdict or a cell should strike the reader. */
export type Tone = "good" | "warn" | "bad";

/**
 * A table cell: plain text, or text with a tone, a link to another run's report folder, a heat
 * (−1 deep red … +1 deep green), extra lines, or no wrapping (dates).
 */
export type Cell = string | { text: string; tone?: Tone; reportDir?: string; heat?: number; lines?: string[]; nowrap?: boolean };

export interface Table {
  headers: string[];
  rows: Cell[][];
  id?: string;
  /** Per row: its event type and date, for the HTML filter. */
  rowMeta?: { type: string; date: string }[];
  /** Filter controls over the rows (HTML only): the event types to choose from. */
  filterTypes?: string[];
}

/** A chart as a report shows it: `file` is its path relative to the report. */
export interface ChartRef {
  file: string;
  title: string;
  caption: string;
  png: Buffer;
  /** The HTML report draws this one interactively instead (the PNG stays for report.md and e-mails). */
  interactiveInHtml?: boolean;
}

export interface ReportSection {
  id: string;
  title: string;
  paragraphs: string[];
  table?: Table;
  charts?: ChartRef[];
  /** Charts the HTML report draws with chart.js; Markdown shows the PNGs instead. */
  interactive?: InteractiveChart[];
  /** Draw the interactive charts as a grid of small panels. */
  panels?: boolean;
}

/** The facts of a report, shared by its HTML and Markdown renderings. */
export interface ReportView {
  title: string;
  headline: string[];
  verdict: { text: string; tone: Tone };
  sections: ReportSection[];
}

/** Most rows of the safety timeline a report prints; events.jsonl holds them all. */
const MAX_TIMELINE_ROWS = 2000;
/** Charts the HTML report draws interactively (the time series). */
const INTERACTIVE_IN_HTML = new Set(["equity", "drawdown", "sizing"]);

/** The view of one run's report. */
export function runReportView(data: RunData, charts: readonly ChartImage[]): ReportView {
  const metrics = runMetrics(data);
  const { summary } = data;
  return {
    title: data.scenario ? `tradeguard scenario ${data.scenario.name}` : `tradeguard run ${summary.run_id}`,
    headline: [
      `Replayed ${strategiesText(data)} over ${summary.sessions} sessions, ${summary.first_session ?? "—"} to ${summary.last_session ?? "—"}${runSettingsText(data.run)}.`,
      `Equity ${money(summary.initial_capital)} → ${money(summary.final_equity)} (${percent(metrics.totalReturn)}); ${summary.orders} orders, ${summary.fills} fills${summary.dry_run ? " (DRY_RUN: nothing reached the broker)" : ""}.`,
      ...(data.twin ? [twinSentence(data, metrics)] : []),
    ],
    verdict: verdict(metrics, data),
    sections: [
      ...(data.scenario ? [scenarioSection(data.scenario)] : []),
      twinSection(data, metrics),
      checklistSection(data),
      { id: "metrics", title: "Metrics", paragraphs: [], table: metricsTable(metrics) },
      {
        id: "charts", title: "Charts", paragraphs: [],
        interactive: interactiveCharts(data),
        charts: charts.map((chart) => ({ ...chart, file: `charts/${chart.name}.png`, interactiveInHtml: INTERACTIVE_IN_HTML.has(chart.name) })),
      },
      episodesSection(data),
      monthlySection(data),
      strategiesSection(data),
      tradesSection(data),
      safetySection(data),
      whyNoTradeSection(data.whyNoTrade),
      dataQualitySection(data),
    ],
  };
}

function scenarioSection(scenario: NonNullable<RunData["scenario"]>): ReportSection {
  const failed = scenario.expectations.filter((result) => !result.ok).length;
  return {
    id: "scenario",
    title: "Scenario",
    paragraphs: [
      `${scenario.name}: ${scenario.description.trim() || "(no description)"}`,
      `Injections: ${scenario.injections.length === 0 ? "none" : scenario.injections.map((injection) => JSON.stringify(injection)).join("; ")}`,
      `${scenario.expectations.length - failed} of ${scenario.expectations.length} expectations passed.`,
    ],
    table: {
      headers: ["Expectation", "Result", "Expected", "Actual"],
      rows: scenario.expectations.map((result) => [result.expectation, { text: result.ok ? "pass" : "fail", tone: result.ok ? "good" : "bad" }, result.expected, result.actual]),
    },
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

/** Share of sessions at which data quality blocked some symbol a strategy trades, above which the headline says so. */
const MOSTLY_BLOCKED = 0.5;

function verdict(metrics: RunMetrics, data: RunData): ReportView["verdict"] {
  const blockedSessions = new Set(data.events.filter((event) => event.type === "symbol_blocked").map((event) => event.date)).size;
  const sessions = Math.max(1, data.timeline.length);
  if (blockedSessions / sessions > MOSTLY_BLOCKED) {
    return {
      tone: "bad",
      text: `Data quality blocked trading on ${blockedSessions} of ${data.timeline.length} sessions: most of this replay tested the data, not the strategy or the drawdown rules (${metrics.halts} halts, ${metrics.panics} panics). See "Data-quality blocks".`,
    };
  }
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
    sortino: optional(metrics.sortino, (value) => value.toFixed(2)),
    calmar: optional(metrics.calmar, (value) => value.toFixed(2)),
    bestSession: metrics.bestSession ? `${percent(metrics.bestSession.value)} (${metrics.bestSession.date})` : "n/a",
    worstSession: metrics.worstSession ? `${percent(metrics.worstSession.value)} (${metrics.worstSession.date})` : "n/a",
    worstMonth: metrics.worstMonth ? `${percent(metrics.worstMonth.return)} (${metrics.worstMonth.month})` : "n/a",
    exposure: percent(metrics.exposure),
    closedTrades: count(metrics.closedTrades),
    winRate: optional(metrics.winRate, percent),
    profitFactor: optional(metrics.profitFactor, (value) => value.toFixed(2)),
    expectancy: optional(metrics.expectancy, money),
    averageWin: optional(metrics.averageWin, money),
    averageLoss: optional(metrics.averageLoss, money),
    whipsawCost: money(metrics.whipsawCost),
    benchmarkReturn: metrics.benchmarkReturn ? `${percent(metrics.benchmarkReturn.value)} (${metrics.benchmarkReturn.symbol})` : "n/a",
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
    paragraphs: events.length === 0 ? [...limits, "No halt, panic, health check, ramp-up or kill-switch flip happened."] : [...limits, ...more],
    ...(shown.length ? {
      table: {
        id: "timeline-table",
        headers: ["Date", "Event", "Reason", "Detail"],
        rows: shown.map((event): Cell[] => [{ text: event.date, nowrap: true }, { text: event.type, tone: toneOf(event.type) }, event.reason, detailCell(event.detail)]),
        rowMeta: shown.map((event) => ({ type: event.type, date: event.date })),
        filterTypes: [...new Set(shown.map((event) => event.type))].sort(),
      },
    } : {}),
  };
}

/** The detail as readable fields, one per line, instead of raw key=value. */
function detailCell(detail: string): Cell {
  const { text, fields } = readableDetail(detail);
  return fields.length === 0 ? text : { text, lines: fields.map(([key, value]) => `${key}: ${value}`) };
}

function toneOf(type: string): Tone | undefined {
  if (type === "drawdown_panic" || type.endsWith("_failed") || type === "reconciliation_mismatch" || type === "broker_unreachable") return "bad";
  if (type === "drawdown_halt" || type === "kill_switch_on") return "warn";
  if (type === "health_check_passed" || type === "rampup_ended" || type === "kill_switch_off") return "good";
  return undefined;
}

function whyNoTradeSection(artifacts: readonly WhyNoTrade[]): ReportSection {
  const base = { id: "why-no-trade", title: "Why no trade" };
  if (artifacts.length === 0) return { ...base, paragraphs: ["Every session placed an order, or no why_no_trade_summary artifact was kept."] };
  const latest = artifacts[artifacts.length - 1];
  return {
    ...base,
    paragraphs: [
      `${artifacts.length} sessions without an order have a why_no_trade_summary artifact (${artifacts[0].date} to ${latest.date}; a replay keeps every artifact; in trade mode ARTIFACT_RETENTION_DAYS deletes older ones).`,
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

import { goLiveChecklist, type CheckOutcome } from "./checklist.js";
import { count, money, percent } from "./format.js";
import type { RunData } from "./load.js";
import { cagr, monthlyReturns, peakToTrough, worstMonth, type RunMetrics } from "./metrics.js";
import { episodes, episodeCharts, EPISODE_HALF_WIDTH, peakDrawdowns } from "./timeSeries.js";
import { whipsawCost } from "./trades.js";
import type { Cell, ReportSection, Tone } from "./view.js";

/** Most trade rows a report prints; trades.csv holds them all. */
const MAX_TRADE_ROWS = 500;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** One line of the twin comparison: a figure of the guarded run, the unguarded twin and the benchmark. */
interface Comparison {
  label: string;
  guarded: string;
  twin: string;
  benchmark: string;
  /** Which of guarded/twin is better on this line (for the tone), if either. */
  better?: "guarded" | "twin";
}

/** The cost and benefit of the safety rules: the guarded run against its unguarded twin (and the benchmark). */
export function twinSection(data: RunData, metrics: RunMetrics): ReportSection {
  const base = { id: "twin", title: "Safety rules: cost and benefit" };
  const twin = data.twin;
  if (!twin) return { ...base, paragraphs: ["No unguarded twin in this run folder (run without --no-twin to get one)."] };
  const lines = comparisons(data, metrics);
  const cell = (text: string, good: boolean | undefined): Cell => (good === undefined ? text : { text, tone: good ? "good" : "warn" });
  return {
    ...base,
    paragraphs: ["The twin replays the same strategies, broker settings and bars (after any injections) with the drawdown stop, kill switches and data-quality blocking switched off; its sessions are in twin_timeline.csv."],
    table: {
      headers: ["Figure", "Guarded", "Unguarded twin", data.benchmark ? `Buy-and-hold ${data.benchmark.symbol}` : "Benchmark"],
      rows: lines.map((line) => [line.label, cell(line.guarded, line.better && line.better === "guarded"), cell(line.twin, line.better && line.better === "twin"), line.benchmark]),
    },
  };
}

/** One sentence a user can quote: return and max drawdown, with and without the rules. */
export function twinSentence(data: RunData, metrics: RunMetrics): string {
  const twin = data.twin?.summary;
  if (!twin) return "";
  const signed = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;
  return `With the safety rules: ${signed(metrics.totalReturn)}, max drawdown ${(metrics.maxDrawdown.drawdown * 100).toFixed(1)}%. Without them (unguarded twin): ${signed(twin.total_return)}, max drawdown ${(twin.max_drawdown * 100).toFixed(1)}%.`;
}

function comparisons(data: RunData, metrics: RunMetrics): Comparison[] {
  const twin = data.twin!.summary;
  const bench = benchmarkFigures(data);
  const higher = (a: number, b: number): Comparison["better"] => (a > b ? "guarded" : a < b ? "twin" : undefined);
  const optionalPercent = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : percent(value));
  const whipsaw = whipsawCost(data.trades);
  return [
    { label: "Total return", guarded: percent(metrics.totalReturn), twin: percent(twin.total_return), benchmark: optionalPercent(bench?.totalReturn), better: higher(metrics.totalReturn, twin.total_return) },
    { label: "CAGR", guarded: optionalPercent(metrics.cagr), twin: optionalPercent(twin.cagr), benchmark: optionalPercent(bench?.cagr), better: higher(metrics.cagr ?? 0, twin.cagr ?? 0) },
    { label: "Max drawdown (peak-to-trough)", guarded: percent(metrics.maxDrawdown.drawdown), twin: percent(twin.max_drawdown), benchmark: optionalPercent(bench?.maxDrawdown), better: higher(twin.max_drawdown, metrics.maxDrawdown.drawdown) },
    { label: "Worst month", guarded: monthText(metrics.worstMonth), twin: twin.worst_month ? `${percent(twin.worst_month_return ?? 0)} (${twin.worst_month})` : "n/a", benchmark: bench?.worstMonth ? monthText(bench.worstMonth) : "n/a", better: higher(metrics.worstMonth?.return ?? 0, twin.worst_month_return ?? 0) },
    { label: "Time in market", guarded: percent(metrics.exposure), twin: percent(twin.time_in_market), benchmark: bench ? percent(1) : "n/a" },
    { label: "Sessions halted", guarded: count(metrics.sessionsHalted), twin: count(twin.sessions_halted), benchmark: "0" },
    { label: "Whipsaw cost", guarded: `${money(whipsaw.dollars)} over ${whipsaw.episodes} panic exits`, twin: money(0), benchmark: money(0) },
    { label: "Orders", guarded: count(metrics.orders), twin: count(twin.orders), benchmark: bench ? "1" : "n/a" },
  ];
}

function monthText(month: { month: string; return: number } | null): string {
  return month ? `${percent(month.return)} (${month.month})` : "n/a";
}

function benchmarkFigures(data: RunData) {
  const rows = data.benchmark?.rows.filter((row) => Number.isFinite(row.equity));
  if (!rows || rows.length === 0) return undefined;
  const capital = data.summary.initial_capital;
  const points = rows.map((row) => ({ date: row.date, equity: row.equity }));
  const final = points[points.length - 1].equity;
  return {
    totalReturn: final / capital - 1,
    cagr: cagr(capital, final, points.length),
    maxDrawdown: peakToTrough(points).drawdown,
    worstMonth: worstMonth(monthlyReturns(capital, points)),
  };
}

const OUTCOME: Record<CheckOutcome, { text: string; tone?: Tone }> = {
  pass: { text: "pass", tone: "good" },
  fail: { text: "fail", tone: "bad" },
  not_exercised: { text: "not exercised", tone: "warn" },
};

/** The go-live checklist as a table. */
export function checklistSection(data: RunData): ReportSection {
  const lines = goLiveChecklist(data);
  const failed = lines.filter((line) => line.outcome === "fail").length;
  const untested = lines.filter((line) => line.outcome === "not_exercised").length;
  return {
    id: "checklist",
    title: "Go-live checklist",
    paragraphs: [`${lines.length - failed - untested} pass, ${failed} fail, ${untested} not exercised — judged from this run's own events and store. Exercise every line (scenarios, a kill-switch drill, a dry run) before going live.`],
    table: { headers: ["Check", "Result", "Evidence"], rows: lines.map((line) => [line.check, OUTCOME[line.outcome], line.evidence]), id: "checklist-table" },
  };
}

/** The trade list: one row per round trip. */
export function tradesSection(data: RunData): ReportSection {
  const shown = data.trades.slice(0, MAX_TRADE_ROWS);
  const more = data.trades.length > shown.length ? [`Showing the first ${shown.length} of ${data.trades.length} trades; trades.csv holds them all.`] : [];
  return {
    id: "trades",
    title: "Trades",
    paragraphs: data.trades.length === 0
      ? ["No trade: nothing was bought."]
      : ["One row per round trip of a strategy in a symbol, flat to flat; adds and partial exits fold in at average cost. A position still held at the end is OPEN, marked at the last close. P&L includes commissions.", ...more],
    ...(shown.length ? {
      table: {
        id: "trades-table",
        headers: ["Strategy", "Symbol", "Entry", "Entry price", "Exit", "Exit price", "Qty", "P&L", "P&L %", "Sessions", "Exit reason"],
        rows: shown.map((trade): Cell[] => [
          trade.strategy, trade.symbol, { text: trade.entryDate, nowrap: true }, money(trade.entryPrice), { text: trade.exitDate, nowrap: true }, money(trade.exitPrice),
          trade.qty.toFixed(4), { text: money(trade.pnl), tone: trade.pnl < 0 ? "bad" : "good" }, percent(trade.pnlPct), count(trade.holdingSessions), trade.exitReason,
        ]),
      },
    } : {}),
  };
}

/** Year × month returns, coloured by sign and size. */
export function monthlySection(data: RunData): ReportSection {
  const months = monthlyReturns(data.summary.initial_capital, data.timeline);
  const base = { id: "monthly", title: "Monthly returns" };
  if (months.length === 0) return { ...base, paragraphs: ["No session."] };
  const years = [...new Set(months.map((month) => month.month.slice(0, 4)))];
  const byMonth = new Map(months.map((month) => [month.month, month.return]));
  const heat = (value: number): Cell => ({ text: percent(value), heat: Math.max(-1, Math.min(1, value / 0.1)) });
  const rows = years.map((year): Cell[] => {
    const inYear = MONTHS.map((_, m) => byMonth.get(`${year}-${String(m + 1).padStart(2, "0")}`));
    const yearReturn = inYear.reduce<number>((product, value) => product * (1 + (value ?? 0)), 1) - 1;
    return [year, ...inYear.map((value) => (value === undefined ? "" : heat(value))), heat(yearReturn)];
  });
  return {
    ...base,
    paragraphs: ["Each month's last close over the previous month's last close (the first month over initial capital); the year compounds its months. Green gains, red losses, deeper for larger moves."],
    table: { id: "monthly-table", headers: ["Year", ...MONTHS, "Year"], rows },
  };
}

/** A panel and a table row per halt or panic: where it happened and what it cost or saved. */
export function episodesSection(data: RunData): ReportSection {
  const list = episodes(data);
  const base = { id: "episodes", title: "Halt and panic episodes" };
  if (list.length === 0) return { ...base, paragraphs: ["No halt or panic happened."] };
  const dates = data.timeline.map((row) => row.date);
  const twinByDate = new Map((data.twin?.timeline ?? []).map((row) => [row.date, row.equity]));
  const peakDd = peakDrawdowns(data.timeline);
  const rows = list.map((event): Cell[] => {
    const at = Math.max(0, dates.indexOf(event.date));
    const after = data.timeline[Math.min(data.timeline.length - 1, at + EPISODE_HALF_WIDTH)];
    const row = data.timeline[at];
    const resumed = data.timeline.findIndex((later, i) => i > at && later.state === "ACTIVE");
    const change = (from: number | undefined, to: number | undefined) => (from && to ? percent(to / from - 1) : "n/a");
    return [
      { text: event.date, nowrap: true },
      { text: event.type === "drawdown_panic" ? "PANIC" : "HALT", tone: event.type === "drawdown_panic" ? "bad" : "warn" },
      money(row?.equity ?? 0),
      percent(row?.drawdown ?? 0),
      percent(peakDd[at] ?? 0),
      resumed < 0 ? "not resumed" : count(resumed - at),
      change(row?.equity, after?.equity),
      change(twinByDate.get(event.date), after ? twinByDate.get(after.date) : undefined),
    ];
  });
  return {
    ...base,
    paragraphs: [`Each halt or panic with ${EPISODE_HALF_WIDTH} sessions either side. Equity change: from the trigger's close to ${EPISODE_HALF_WIDTH} sessions later, guarded and unguarded twin.`],
    table: { id: "episodes-table", headers: ["Date", "Trigger", "Equity", "Drawdown (re-based)", "Peak-to-trough", "Sessions to ACTIVE", `Equity +${EPISODE_HALF_WIDTH} sessions`, `Twin +${EPISODE_HALF_WIDTH} sessions`], rows },
    interactive: episodeCharts(data),
    panels: true,
  };
}

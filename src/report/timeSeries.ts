import type { RunData, TimelineRow } from "./load.js";
import { drawdownThresholds } from "./load.js";
import type { InteractiveChart, InteractiveLine } from "./interactive.js";
import { periodsOf, sessionIndexer } from "./series.js";

/** Sessions shown either side of a halt or panic in its episode panel. */
export const EPISODE_HALF_WIDTH = 30;

const COLOURS = { equity: "rgba(37,99,235,1)", twin: "rgba(147,51,234,1)", benchmark: "rgba(107,114,128,1)", hwm: "rgba(75,85,99,1)", halt: "rgba(217,119,6,1)", panic: "rgba(220,38,38,1)", kill: "rgba(15,23,42,1)" };

/** Events whose sessions get a tooltip line. */
const NOTED = new Set(["drawdown_halt", "drawdown_panic", "health_check_passed", "health_check_failed", "rampup_started", "rampup_ended", "kill_switch_on", "kill_switch_off", "reconciliation_mismatch"]);

/** Effective sizing multiplier: the timeline's multiplier, but 0 while HALTED or PANIC, when no entry may open. */
export function effectiveSizing(row: TimelineRow): number {
  return row.state === "HALTED" || row.state === "PANIC" ? 0 : row.sizingMultiplier;
}

/** Drawdown from the running peak of equity (peak-to-trough), per session, as a fraction. */
export function peakDrawdowns(rows: readonly { equity: number }[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return rows.map((row) => {
    peak = Math.max(peak, row.equity);
    return peak > 0 ? 1 - row.equity / peak : 0;
  });
}

/** The HTML report's interactive time-series charts: equity (with twin and benchmark), drawdown, sizing. */
export function interactiveCharts(data: RunData): InteractiveChart[] {
  if (data.timeline.length === 0) return [];
  return [equityChart(data, "equity-chart"), drawdownChart(data), sizingChart(data)];
}

/** One small equity panel per halt or panic, ±EPISODE_HALF_WIDTH sessions around it. */
export function episodeCharts(data: RunData): InteractiveChart[] {
  const indexOf = sessionIndexer(data.timeline.map((row) => row.date));
  return episodes(data).map((episode, k) => {
    const at = indexOf(episode.date);
    const from = Math.max(0, at - EPISODE_HALF_WIDTH);
    const to = Math.min(data.timeline.length - 1, at + EPISODE_HALF_WIDTH);
    // Only the panel's own sessions, so dozens of panels stay small.
    const timeline = data.timeline.slice(from, to + 1);
    const first = timeline[0]?.date ?? "";
    const last = timeline.at(-1)?.date ?? "";
    const events = data.events.filter((event) => event.date >= first && event.date <= last);
    const chart = equityChart({ ...data, timeline, events }, `episode-${k + 1}`);
    return { ...chart, title: `${episode.type === "drawdown_panic" ? "Panic" : "Halt"} ${episode.date}`, caption: "", height: 200, compact: true };
  });
}

/** Halt and panic events, in order. */
export function episodes(data: RunData): RunData["events"] {
  return data.events.filter((event) => event.type === "drawdown_halt" || event.type === "drawdown_panic");
}

function base(data: RunData): Pick<InteractiveChart, "dates" | "periods" | "notes"> {
  const states = data.timeline.map((row) => row.state);
  const indexOf = sessionIndexer(data.timeline.map((row) => row.date));
  const notes: Record<number, string[]> = {};
  for (const event of data.events) {
    if (!NOTED.has(event.type)) continue;
    (notes[indexOf(event.date)] ??= []).push(`${event.type} ${event.reason}: ${event.detail}`);
  }
  return { dates: data.timeline.map((row) => row.date), periods: periodsOf(states).map((period) => ({ from: period.from, to: period.to, state: period.value })), notes };
}

const cents = (value: number) => Math.round(value * 100) / 100;

function equityChart(data: RunData, id: string): InteractiveChart {
  const indexOf = sessionIndexer(data.timeline.map((row) => row.date));
  const marker = (type: string) => data.events.filter((event) => event.type === type).map((event): [number, number] => {
    const i = indexOf(event.date);
    return [i, cents(data.timeline[i]?.equity ?? 0)];
  });
  const lines: InteractiveLine[] = [
    { label: "Equity (guarded)", colour: COLOURS.equity, values: data.timeline.map((row) => cents(row.equity)) },
    { label: "High-water mark (re-based)", colour: COLOURS.hwm, values: data.timeline.map((row) => cents(row.highWaterMark)), dash: true, hidden: true },
    ...twinLine(data),
    ...benchmarkLine(data),
    { label: "Halt", colour: COLOURS.halt, markers: marker("drawdown_halt"), markerStyle: "triangle" },
    { label: "Panic", colour: COLOURS.panic, markers: marker("drawdown_panic"), markerStyle: "rectRot" },
    ...killLine(data, marker),
  ];
  return {
    id, ...base(data), lines, height: 440,
    title: "Equity: guarded run, unguarded twin and benchmark",
    caption: "Equity at each session close in dollars. Shaded: HALTED (amber), PANIC (red), RAMPUP (blue). Wheel or +/− to zoom, drag to pan, double-click to reset; click a legend entry to show or hide a line.",
    yTitle: "Equity ($)",
  };
}

function twinLine(data: RunData): InteractiveLine[] {
  if (!data.twin) return [];
  const byDate = new Map(data.twin.timeline.map((row) => [row.date, row.equity]));
  return [{ label: "Unguarded twin", colour: COLOURS.twin, values: data.timeline.map((row) => nullable(byDate.get(row.date))) }];
}

function benchmarkLine(data: RunData): InteractiveLine[] {
  if (!data.benchmark) return [];
  const byDate = new Map(data.benchmark.rows.map((row) => [row.date, row.equity]));
  return [{ label: `Buy-and-hold ${data.benchmark.symbol}`, colour: COLOURS.benchmark, values: data.timeline.map((row) => nullable(byDate.get(row.date))), dash: true }];
}

function killLine(data: RunData, marker: (type: string) => [number, number][]): InteractiveLine[] {
  const flips = [...marker("kill_switch_on"), ...marker("kill_switch_off")];
  return flips.length === 0 ? [] : [{ label: "Kill switch on/off", colour: COLOURS.kill, markers: flips, markerStyle: "circle" }];
}

function nullable(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : cents(value);
}

function drawdownChart(data: RunData): InteractiveChart {
  const { halt, panic } = drawdownThresholds(data);
  const across = (value: number | undefined, label: string, colour: string): InteractiveLine[] =>
    value === undefined ? [] : [{ label: `${label} ${(value * 100).toFixed(1)}%`, colour, values: data.timeline.map(() => value * 100), dash: true }];
  const percent = (value: number) => Math.round(value * 10000) / 100;
  return {
    id: "drawdown-chart", ...base(data), height: 360,
    title: "Drawdown: as the safety manager measures it, and peak-to-trough",
    caption: "Two measures, in %: from the high-water mark the safety manager tracks, which is re-based after every passed health check (what the halt and panic thresholds apply to); and from the running peak of equity over the whole run (peak-to-trough, what the summary's max drawdown reports).",
    yTitle: "Drawdown (%)", yMin: 0,
    lines: [
      { label: "From re-based high-water mark (safety manager)", colour: "rgba(190,18,60,1)", values: data.timeline.map((row) => percent(row.drawdown)), fill: true },
      { label: "Peak-to-trough (from running peak equity)", colour: "rgba(15,23,42,1)", values: peakDrawdowns(data.timeline).map(percent) },
      ...across(halt, "Halt threshold", COLOURS.halt),
      ...across(panic, "Panic threshold", COLOURS.panic),
    ],
  };
}

function sizingChart(data: RunData): InteractiveChart {
  return {
    id: "sizing-chart", ...base(data), height: 280,
    title: "Sizing multiplier applied to new entries",
    caption: "1 when ACTIVE, the ramp-up fraction during RAMPUP, 0 while HALTED or PANIC (no entry may open).",
    yTitle: "Multiplier (× target size)", yMin: 0, yMax: 1.1,
    lines: [{ label: "Sizing multiplier", colour: "rgba(147,51,234,1)", values: data.timeline.map(effectiveSizing) }],
  };
}

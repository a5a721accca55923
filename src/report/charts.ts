import type { Chart, ChartConfiguration, ChartDataset, Plugin, ScaleOptions } from "chart.js";
import { ChartJSNodeCanvas } from "chartjs-node-canvas";
import { dataQualityBlocks } from "./derive.js";
import { money } from "./format.js";
import { drawdownThresholds, type RunData } from "./load.js";
import { changeIndices, consecutiveRuns, periodsOf, sessionIndexer, thinIndices } from "./series.js";
import { effectiveSizing, peakDrawdowns } from "./timeSeries.js";

/** Pixel size of every chart. */
export const CHART_SIZE = { width: 1000, height: 400 } as const;

/** One rendered chart: `name` is its file stem under `<out>/charts/`. */
export interface ChartImage {
  name: string;
  title: string;
  caption: string;
  png: Buffer;
}

type Config = ChartConfiguration<"line" | "bar", unknown[], string>;
type Point = { x: number; y: number };

const FONT = { family: "DejaVu Sans, Arial, sans-serif", size: 12 };
const PALETTE = ["#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be123c", "#4d7c0f", "#a16207"];
const STATE_SHADES: Record<string, string> = { HALTED: "rgba(245,158,11,0.40)", PANIC: "rgba(220,38,38,0.40)", RAMPUP: "rgba(37,99,235,0.25)" };
/** Bands far apart in hue, so DEGRADED (violet) and CRITICAL (red) are not mistaken for each other. */
const HEALTH_BANDS = [
  { label: "CRITICAL < 25", from: 0, to: 25, colour: "rgba(220,38,38,0.30)" },
  { label: "DEGRADED 25–50", from: 25, to: 50, colour: "rgba(147,51,234,0.20)" },
  { label: "WARNING 50–75", from: 50, to: 75, colour: "rgba(234,179,8,0.22)" },
  { label: "HEALTHY ≥ 75", from: 75, to: 100, colour: "rgba(22,163,74,0.18)" },
];
/** Narrowest shaded period in pixels, so a short halt stays visible over a 19-year axis. */
const MIN_SHADE_PX = 2;
/** 0…1 with headroom, so a multiplier of 1 is not drawn on the chart's edge. */
const UNIT_SCALE = { min: 0, max: 1.1, ticks: { stepSize: 0.25, callback: (value: unknown) => (Number(value) <= 1 ? String(value) : "") } };
const TOP_REJECTIONS = 10;
const TOP_BLOCKED_SYMBOLS = 20;

/** Renders every chart of a run, in report order; the same data always gives the same bytes. */
export async function renderRunCharts(data: RunData, size: { width: number; height: number } = CHART_SIZE): Promise<ChartImage[]> {
  const renderer = rendererOf(size);
  const axis = new SessionAxis(data.timeline.map((row) => row.date));
  const charts = [
    equityChart(data, axis), drawdownChart(data, axis), sizingChart(data, axis),
    funnelChart(data), rejectionsChart(data), dataQualityChart(data, axis), healthChart(data, axis),
  ].filter((chart) => !chart.empty);
  // Each render draws on its own canvas; rendering them together lets one chart be drawn while the previous one's
  // PNG is encoded off this thread.
  return Promise.all(charts.map(async ({ config, ...chart }) => ({ ...chart, png: await renderer.renderToBuffer(config as ChartConfiguration) })));
}

const renderers = new Map<string, ChartJSNodeCanvas>();

/**
 * Loads the native canvas library in this thread for the process's life. Call it before worker threads draw
 * charts: when the last thread holding the library exits, it is unloaded under the others and the process
 * crashes (SIGSEGV at exit).
 */
export function holdChartLibrary(): void {
  rendererOf(CHART_SIZE);
}

/** One renderer per size for the process: making one loads a fresh copy of the canvas module, which costs more than a chart. */
function rendererOf(size: { width: number; height: number }): ChartJSNodeCanvas {
  const key = `${size.width}x${size.height}`;
  let renderer = renderers.get(key);
  if (renderer === undefined) {
    renderer = new ChartJSNodeCanvas({ ...size, backgroundColour: "white", chartCallback: fixDefaults });
    renderers.set(key, renderer);
  }
  return renderer;
}

interface ChartSpec {
  name: string;
  title: string;
  caption: string;
  config: Config;
  /** Nothing to draw: the chart is left out of the report. */
  empty?: boolean;
}

/** One font and text colour for every chart, so a render does not depend on the platform's defaults. */
function fixDefaults(chartJs: typeof Chart): void {
  Object.assign(chartJs.defaults.font, FONT);
  chartJs.defaults.color = "#1f2937";
}

/** The x axis of every time chart: session indices, labelled with their dates. */
class SessionAxis {
  readonly indexOf: (date: string) => number;

  constructor(readonly dates: readonly string[]) {
    this.indexOf = sessionIndexer(dates);
  }

  /** Ticks on the first session of each year (of each month for runs under two years), labelled by it. */
  scale(): ScaleOptions<"linear"> {
    const ticks = this.periodStarts();
    const monthly = this.dates.length < 500;
    return {
      type: "linear",
      min: 0,
      max: Math.max(1, this.dates.length - 1),
      title: { display: true, text: "Date (session close)" },
      afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = ticks.map((value) => ({ value }))),
      ticks: { autoSkip: false, maxRotation: 0, callback: (value: unknown) => (this.dates[Math.round(Number(value))] ?? "").slice(0, monthly ? 7 : 4) },
    } as unknown as ScaleOptions<"linear">;
  }

  private periodStarts(): number[] {
    const length = this.dates.length < 500 ? 7 : 4;
    const starts = this.dates.flatMap((date, i) => (i > 0 && date.slice(0, length) !== this.dates[i - 1].slice(0, length) ? [i] : []));
    const step = Math.max(1, Math.ceil(starts.length / 12));
    return starts.filter((_, k) => k % step === 0);
  }
}

function equityChart(data: RunData, axis: SessionAxis): ChartSpec {
  const { timeline } = data;
  const markers = (type: string) => data.events.filter((event) => event.type === type).map((event) => axis.indexOf(event.date));
  const halts = markers("drawdown_halt");
  const panics = markers("drawdown_panic");
  const kept = thinIndices(timeline.length, [...changeIndices(timeline.map((row) => row.state)), ...halts, ...panics]);
  const at = (i: number, value: number): Point => ({ x: i, y: value });
  const twinByDate = new Map((data.twin?.timeline ?? []).map((row) => [row.date, row.equity]));
  const benchByDate = new Map((data.benchmark?.rows ?? []).map((row) => [row.date, row.equity]));
  const along = (values: Map<string, number>) => kept.filter((i) => values.has(timeline[i].date)).map((i) => at(i, values.get(timeline[i].date)!));
  const datasets = [
    line("Equity (guarded)", kept.map((i) => at(i, timeline[i].equity)), PALETTE[0]),
    ...(data.twin ? [line("Unguarded twin", along(twinByDate), "#9333ea")] : []),
    ...(data.benchmark ? [{ ...line(`Buy-and-hold ${data.benchmark.symbol}`, along(benchByDate), "#6b7280"), borderDash: [6, 4] }] : []),
    markerSet("Halt", halts.map((i) => at(i, timeline[i]?.equity ?? 0)), "#d97706", "triangle"),
    markerSet("Panic", panics.map((i) => at(i, timeline[i]?.equity ?? 0)), "#dc2626", "rectRot"),
    ...legendSwatches(Object.entries(STATE_SHADES)),
  ];
  return {
    name: "equity",
    title: "Equity",
    caption: "Equity at each session close, with the unguarded twin and buy-and-hold of the benchmark; shaded: HALTED (amber), PANIC (red), RAMPUP (blue); markers: halts and panics.",
    config: timeChart(`Equity (${money(data.summary.initial_capital)} → ${money(data.summary.final_equity)})`, axis, datasets, [stateShading(data)], { title: { display: true, text: "Equity ($)" } }),
  };
}

function drawdownChart(data: RunData, axis: SessionAxis): ChartSpec {
  const { timeline } = data;
  const thresholds = drawdownThresholds(data);
  const kept = thinIndices(timeline.length, changeIndices(timeline.map((row) => row.state)));
  const peaks = peakDrawdowns(timeline);
  const across = (value: number): Point[] => [{ x: 0, y: value * 100 }, { x: Math.max(1, timeline.length - 1), y: value * 100 }];
  const limit = (label: string, value: number | undefined, colour: string) =>
    value === undefined ? [] : [{ ...line(`${label} ${(value * 100).toFixed(1)}%`, across(value), colour), borderDash: [6, 4] }];
  const datasets = [
    { ...line("From re-based high-water mark (safety manager)", kept.map((i) => ({ x: i, y: timeline[i].drawdown * 100 })), PALETTE[5]), fill: true, backgroundColor: "rgba(190,18,60,0.12)" },
    line("Peak-to-trough (running peak equity)", thinIndices(timeline.length).map((i) => ({ x: i, y: peaks[i] * 100 })), "#0f172a"),
    ...limit("Halt threshold", thresholds.halt, "#d97706"),
    ...limit("Panic threshold", thresholds.panic, "#dc2626"),
  ];
  return {
    name: "drawdown",
    title: "Drawdown",
    caption: "Drawdown (%) two ways: from the high-water mark the safety manager tracks, re-based after each passed health check (the thresholds apply to it), and peak-to-trough from the running peak of equity (the summary's max drawdown).",
    config: timeChart("Drawdown (%)", axis, datasets, [stateShading(data)], { min: 0, title: { display: true, text: "Drawdown (%)" } }),
  };
}

function sizingChart(data: RunData, axis: SessionAxis): ChartSpec {
  const values = data.timeline.map(effectiveSizing);
  const kept = thinIndices(values.length, changeIndices(values));
  return {
    name: "sizing",
    title: "Sizing multiplier",
    caption: "The multiplier applied to new entries' size: 1 when ACTIVE, the ramp-up fraction during RAMPUP, 0 while HALTED or PANIC.",
    config: timeChart("Sizing multiplier", axis, [line("Sizing multiplier", kept.map((i) => ({ x: i, y: values[i] })), PALETTE[2])], [stateShading(data)], { ...UNIT_SCALE, title: { display: true, text: "Multiplier (× target size)" } }),
  };
}

function funnelChart(data: RunData): ChartSpec {
  const { stages, strategies } = data.funnel;
  const datasets = Object.entries(strategies).map(([id, funnel], i) => ({
    label: id,
    data: stages.map((stage) => funnel.counts[stage] ?? 0),
    backgroundColor: colourAt(i),
  }));
  const resized = resizedDatasets(data, datasets.length);
  return {
    name: "funnel",
    title: "Signal funnel",
    caption: "Signals of each strategy still alive after each stage, from generated to filled; \"resized\" bars count the entries a sizing rule (ramp-up, correlation, a hard cap, buying power) let through smaller.",
    config: withAxisTitles(barChart("Signal funnel per strategy", [...stages], [...datasets, ...resized]), "Funnel stage", "Signals"),
    empty: datasets.length === 0,
  };
}

/** One bar series per sizing rule that resized entries (all strategies together), drawn at the stage that resized them. */
function resizedDatasets(data: RunData, offset: number): { label: string; data: number[]; backgroundColor: string }[] {
  const { stages, strategies } = data.funnel;
  const totals = new Map<string, Map<string, number>>();
  for (const funnel of Object.values(strategies)) {
    for (const [stage, reasons] of Object.entries(funnel.resized ?? {})) {
      for (const [reason, count] of Object.entries(reasons ?? {})) {
        const byStage = totals.get(reason) ?? new Map<string, number>();
        byStage.set(stage, (byStage.get(stage) ?? 0) + count);
        totals.set(reason, byStage);
      }
    }
  }
  return [...totals.keys()].sort().map((reason, i) => ({
    label: `resized: ${reason}`,
    data: stages.map((stage) => totals.get(reason)?.get(stage) ?? 0),
    backgroundColor: colourAt(offset + i),
  }));
}

function rejectionsChart(data: RunData): ChartSpec {
  const top = [...data.rejections].sort((a, b) => b.count - a.count).slice(0, TOP_REJECTIONS);
  const datasets = [{ label: "Rejected signals", data: top.map((row) => row.count), backgroundColor: PALETTE[5] }];
  const config = withAxisTitles(barChart("Top rejection reasons", top.map((row) => `${row.reason} (${row.stage})`), datasets), "Rejected signals", "Reason (stage)");
  config.options = { ...config.options, indexAxis: "y", plugins: { ...config.options?.plugins, legend: { display: false } } };
  return {
    name: "rejections",
    title: "Top rejection reasons",
    caption: `The ${TOP_REJECTIONS} most frequent reasons a signal was stopped, with the funnel stage that stopped it.`,
    config,
    empty: top.length === 0,
  };
}

function dataQualityChart(data: RunData, axis: SessionAxis): ChartSpec {
  const blocks = dataQualityBlocks(data.events);
  const symbols = topSymbols(blocks);
  const reasons = [...new Set(blocks.map((block) => block.reason))].sort();
  const lane = 0.8 / Math.max(1, reasons.length);
  const rects = blocks
    .filter((block) => symbols.includes(block.symbol))
    .flatMap((block) => {
      const row = symbols.indexOf(block.symbol);
      const y0 = row - 0.4 + lane * reasons.indexOf(block.reason);
      const colour = colourAt(reasons.indexOf(block.reason));
      return consecutiveRuns(block.dates.map(axis.indexOf)).map((run) => ({ x0: run.from - 0.5, x1: run.to + 0.5, y0, y1: y0 + lane, colour }));
    });
  const yScale = {
    type: "linear", min: -0.5, max: Math.max(0.5, symbols.length - 0.5), reverse: true,
    // One tick per symbol row; the axis runs half a row beyond the first and last.
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = symbols.map((_, value) => ({ value }))),
    ticks: { autoSkip: false, callback: (value: unknown) => symbols[Number(value)] ?? "" },
    grid: { display: false },
  };
  return {
    name: "data_quality",
    title: "Data-quality blocks",
    caption: `Sessions each symbol was kept out of trading, coloured by reason (at most ${TOP_BLOCKED_SYMBOLS} most-blocked symbols).`,
    empty: blocks.length === 0,
    config: timeChart("Data-quality blocks per symbol", axis, legendSwatches(reasons.map((reason, i) => [reason, colourAt(i)])), [rectangles(rects)], yScale),
  };
}

function healthChart(data: RunData, axis: SessionAxis): ChartSpec {
  const series = new Map<string, { x: number; y: number; sufficient: boolean }[]>();
  for (const week of data.weeklyHealth) {
    for (const entry of week.strategies) {
      const points = series.get(entry.strategy) ?? [];
      points.push({ x: axis.indexOf(week.date), y: entry.long.score, sufficient: entry.long.status !== "INSUFFICIENT_DATA" });
      series.set(entry.strategy, points);
    }
  }
  const datasets = [...series.entries()].map(([strategy, points], i) => ({
    ...line(strategy, points.map(({ x, y }) => ({ x, y })), colourAt(i)),
    pointRadius: 3,
    pointBackgroundColor: points.map((point) => (point.sufficient ? colourAt(i) : "white")),
  }));
  const bands = HEALTH_BANDS.map((band) => ({ y0: band.from, y1: band.to, colour: band.colour }));
  return {
    name: "health",
    title: "Strategy health",
    caption: "Each strategy's long-window health score (0–100), weekly, over the status bands. Score = 40 × edge + 25 × win rate + 20 × (few rejections) + 15 × (shallow P&L drawdown) over the window's outcomes: its closed trades and, when it closed fewer than MIN_TRADES_FOR_HEALTH, each session's unrealised P&L change of the positions it held, so a strategy that rarely trades (buy-and-hold) is judged on its holding period. Hollow points are INSUFFICIENT_DATA: too few closed trades and nothing held.",
    empty: series.size === 0,
    config: timeChart("Strategy health score (long window)", axis, [...datasets, ...legendSwatches(HEALTH_BANDS.map((band) => [band.label, band.colour]))], [rectangles(bands)], { min: 0, max: 100 }),
  };
}

function timeChart(title: string, axis: SessionAxis, datasets: ChartDataset<"line", unknown[]>[], plugins: Plugin[], y: object = {}): Config {
  return {
    type: "line",
    data: { datasets },
    options: { ...baseOptions(title), scales: { x: axis.scale(), y } },
    plugins,
  } as Config;
}

function withAxisTitles(config: Config, x: string, y: string): Config {
  const options = config.options ?? {};
  return { ...config, options: { ...options, scales: { x: { title: { display: true, text: x } }, y: { title: { display: true, text: y } } } } } as Config;
}

function barChart(title: string, labels: string[], datasets: ChartDataset<"bar", number[]>[]): Config {
  return { type: "bar", data: { labels, datasets }, options: baseOptions(title) } as Config;
}

function baseOptions(title: string) {
  return {
    devicePixelRatio: 1,
    animation: false as const,
    responsive: false,
    plugins: { title: { display: true, text: title, font: { ...FONT, size: 15 } }, legend: { position: "bottom" as const } },
  };
}

function line(label: string, data: Point[], colour: string): ChartDataset<"line", Point[]> {
  return { label, data, borderColor: colour, backgroundColor: colour, borderWidth: 1.5, pointRadius: 0, tension: 0 };
}

function markerSet(label: string, data: Point[], colour: string, pointStyle: "triangle" | "rectRot"): ChartDataset<"line", Point[]> {
  return { label, data, borderColor: colour, backgroundColor: colour, showLine: false, pointRadius: 6, pointStyle };
}

/** Datasets without points, so a shaded colour gets a legend entry. */
function legendSwatches(entries: readonly (readonly [string, string])[]): ChartDataset<"line", Point[]>[] {
  return entries.map(([label, colour]) => ({ label, data: [], backgroundColor: colour, borderColor: colour, borderWidth: 0 }));
}

interface Rect {
  x0?: number;
  x1?: number;
  y0?: number;
  y1?: number;
  colour: string;
}

/** Draws rectangles in data coordinates behind the datasets; an open side spans the whole chart area. */
function rectangles(rects: readonly Rect[]): Plugin {
  return {
    id: "rectangles",
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales } = chart;
      const px = (value: number | undefined, fallback: number, scale: "x" | "y", low: number, high: number) =>
        value === undefined ? fallback : Math.min(high, Math.max(low, scales[scale].getPixelForValue(value)));
      ctx.save();
      for (const rect of rects) {
        const left = px(rect.x0, area.left, "x", area.left, area.right);
        const right = Math.max(px(rect.x1, area.right, "x", area.left, area.right), left + MIN_SHADE_PX);
        const a = px(rect.y0, area.bottom, "y", area.top, area.bottom);
        const b = px(rect.y1, area.top, "y", area.top, area.bottom);
        ctx.fillStyle = rect.colour;
        ctx.fillRect(left, Math.min(a, b), right - left, Math.abs(b - a));
      }
      ctx.restore();
    },
  };
}

function stateShading(data: RunData): Plugin {
  const periods = periodsOf(data.timeline.map((row) => row.state)).filter((period) => period.value in STATE_SHADES);
  return rectangles(periods.map((period) => ({ x0: period.from - 0.5, x1: period.to + 0.5, colour: STATE_SHADES[period.value] })));
}

function topSymbols(blocks: ReturnType<typeof dataQualityBlocks>): string[] {
  const sessions = new Map<string, number>();
  for (const block of blocks) sessions.set(block.symbol, (sessions.get(block.symbol) ?? 0) + block.dates.length);
  return [...sessions.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_BLOCKED_SYMBOLS)
    .map(([symbol]) => symbol)
    .sort();
}

function colourAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

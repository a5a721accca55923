export { ArtifactWriter, ARTIFACT_SCHEMA_VERSION } from "./artifacts.js";
export { BENCHMARK_HEADER, runTrades, TIMELINE_HEADER, writeRunFiles, type BenchmarkSeries, type FinishedRun, type RunSummary, type TwinSummary } from "./runFiles.js";
export { exposure, parseTrades, roundTrips, TRADES_HEADER, tradesCsv, whipsawCost, type Trade, type TradeFill } from "./trades.js";
export { CHART_SIZE, holdChartLibrary, renderRunCharts, type ChartImage } from "./charts.js";
export { loadRun, RunFolderError, type RunData, type RunEvent, type RunInfo, type TimelineRow, type WeeklyHealth, type WhyNoTrade } from "./load.js";
export { computeMetrics, METRIC_DEFINITIONS, peakToTrough, runMetrics, SESSIONS_PER_YEAR, type MetricsInput, type RunMetrics } from "./metrics.js";
export { writeRunReport, type WrittenReport } from "./runReport.js";
export { writeSuiteReport, type ScenarioResult } from "./suite.js";
export { colourEnabled, createProgress, formatRunSummary, formatSuiteSummary, type Progress, type TerminalOptions } from "./terminal.js";

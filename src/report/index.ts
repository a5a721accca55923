export { ArtifactWriter, ARTIFACT_SCHEMA_VERSION, type ArtifactSink } from "./artifacts.js";
export { maxDrawdown, TIMELINE_HEADER, writeRunFiles, type RunSummary } from "./runFiles.js";
export { CHART_SIZE, renderRunCharts, type ChartImage } from "./charts.js";
export { assertRunFolder, loadRun, RunFolderError, type RunData, type RunEvent, type RunInfo, type TimelineRow, type WeeklyHealth, type WhyNoTrade } from "./load.js";
export { computeMetrics, METRIC_DEFINITIONS, runMetrics, SESSIONS_PER_YEAR, type MetricsInput, type RunMetrics } from "./metrics.js";
export { writeRunReport, type WrittenReport } from "./runReport.js";
export { suiteReportView, writeSuiteReport, type ScenarioResult } from "./suite.js";
export { colourEnabled, createProgress, formatRunSummary, formatSuiteSummary, type Progress, type TerminalOptions } from "./terminal.js";

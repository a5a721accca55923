import { money, percent, seconds } from "./format.js";
import type { RunSummary } from "./runFiles.js";
import type { ScenarioResult } from "./suite.js";

/** Where terminal output goes and what the environment says about it; defaults are the process's. */
export interface TerminalOptions {
  stream?: { isTTY?: boolean; write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

/** A progress bar's handle: `tick` after each unit of work, `done` once at the end. */
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

const BAR_WIDTH = 30;
const SILENT: Progress = { tick() {}, done() {} };

/** A progress bar redrawn in place on stderr; silent unless stderr is a TTY and CI is unset, so logs stay clean. */
export function createProgress(total: number, label: string, options: TerminalOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (!stream.isTTY || env.CI) return SILENT;
  let current = 0;
  let drawnPercent = -1;
  let finished = false;
  const draw = () => {
    const shown = percentDone(current, total);
    if (shown === drawnPercent) return;
    drawnPercent = shown;
    stream.write(`\r${progressLine(current, total, label)}`);
  };
  draw();
  return {
    tick(n = 1) {
      if (finished) return;
      current = Math.min(total, current + n);
      draw();
    },
    done() {
      if (finished) return;
      finished = true;
      current = total;
      draw();
      stream.write("\n");
    },
  };
}

/** One frame of the bar, e.g. `replay [███████░░░…] 23% 1150/5000`. */
export function progressLine(current: number, total: number, label: string): string {
  const shown = percentDone(current, total);
  const filled = Math.round((shown / 100) * BAR_WIDTH);
  return `${label} [${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${String(shown).padStart(3)}% ${current}/${total}`;
}

function percentDone(current: number, total: number): number {
  return total > 0 ? Math.floor((Math.min(current, total) / total) * 100) : 100;
}

/** True when output to the stream may carry ANSI colours: a TTY, and NO_COLOR unset or empty. */
export function colourEnabled(options: TerminalOptions = {}): boolean {
  const stream = options.stream ?? process.stdout;
  const env = options.env ?? process.env;
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

const ANSI = { red: 31, green: 32, yellow: 33, bold: 1 } as const;

function paint(text: string, colour: keyof typeof ANSI | undefined, on: boolean): string {
  return on && colour ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text;
}

/** A few lines for a person at the end of a run: return, drawdown, halts and panics, where the report is. */
export function formatRunSummary(summary: RunSummary, options: { colour: boolean; report?: string }): string {
  const on = options.colour;
  const returnColour = summary.total_return >= 0 ? "green" : "red";
  const lines = [
    `${paint(`run ${summary.run_id}`, "bold", on)}: ${summary.sessions} sessions ${summary.first_session ?? "—"}..${summary.last_session ?? "—"}`,
    `  equity ${money(summary.initial_capital)} → ${money(summary.final_equity)} (${paint(percent(summary.total_return), returnColour, on)}), max drawdown ${percent(summary.max_drawdown)}`,
    `  halts ${paint(String(summary.halts), summary.halts > 0 ? "yellow" : undefined, on)}, panics ${paint(String(summary.panics), summary.panics > 0 ? "red" : undefined, on)}, sessions halted ${summary.sessions_halted}, orders ${summary.orders}, fills ${summary.fills}${summary.dry_run ? " (DRY_RUN)" : ""}`,
    ...(options.report ? [`  report ${options.report}`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** One line per scenario (PASS/FAIL, time) and a total, for the end of a suite. */
export function formatSuiteSummary(results: readonly ScenarioResult[], options: { colour: boolean; report?: string }): string {
  const on = options.colour;
  const failed = results.filter((result) => !result.passed).length;
  const lines = results.map((result) => `  ${result.passed ? paint("PASS", "green", on) : paint("FAIL", "red", on)} ${result.name} (${seconds(result.durationMs)})`);
  const total = `${results.length - failed}/${results.length} scenarios passed`;
  lines.push(paint(total, failed === 0 ? "green" : "red", on), ...(options.report ? [`report ${options.report}`] : []));
  return `${lines.join("\n")}\n`;
}

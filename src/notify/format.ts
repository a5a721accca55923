import type { SessionDate } from "../clock/types.js";
import type { AlertKind } from "./types.js";

/** An alert's subject and plain-text body; the notifier adds the `[tradeguard] ` prefix. */
export interface AlertContent {
  subject: string;
  text: string;
}

/** Facts behind a halt or panic; drawdown and threshold are fractions (0.08 = 8%). */
export interface DrawdownFacts {
  date: SessionDate;
  equity: number;
  highWaterMark: number;
  drawdown: number;
  threshold: number;
  cooldownSessions: number;
  /** Whether every position is closed at the next open (PANIC with FLATTEN_ON_PANIC). */
  flattened?: boolean;
  /** The session whose close ends the cooldown and runs the health check. */
  cooldownEnds?: SessionDate;
  /** What the operator can do, as exact commands. */
  commands?: string[];
}

/** One named status line, e.g. a strategy's health. */
export interface NamedStatus {
  name: string;
  status: string;
  detail?: string;
}

/** One check of the post-cooldown health check that did not pass. */
export interface FailedCheck {
  name: string;
  detail: string;
}

/** A PANIC flatten attempt that left holdings behind; the engine retries at the next close. */
export interface FlattenFailedFacts {
  date: SessionDate;
  state: string;
  detail: string;
}

export interface HealthCheckFailedFacts {
  date: SessionDate;
  checks: FailedCheck[];
}

/** Facts behind a resume after a passed health check; sizing is a fraction (0.5 = half size). */
export interface ResumeFacts {
  date: SessionDate;
  rampUpStart: SessionDate;
  rampUpSessions?: number;
  sizing?: number;
}

/** Rows that disagree between the books and the broker, one object per row (its keys become columns). */
export interface ReconciliationFacts {
  date: SessionDate;
  rows: Array<Record<string, string | number>>;
}

/** The end-of-session summary; `funnel` counts are shown in their insertion order. */
export interface DailyDigestFacts {
  date: SessionDate;
  equity: number;
  drawdown: number;
  state: string;
  funnel: Record<string, number>;
  dataQuality: string[];
  health: NamedStatus[];
}

export interface WeeklyHealthFacts {
  date: SessionDate;
  health: NamedStatus[];
}

export interface DataQualityFacts {
  date: SessionDate;
  lines: string[];
}

/** The facts each alert kind is formatted from. */
export interface AlertFacts {
  halt: DrawdownFacts;
  panic: DrawdownFacts;
  flatten_failed: FlattenFailedFacts;
  health_check_failed: HealthCheckFailedFacts;
  resume: ResumeFacts;
  reconciliation_mismatch: ReconciliationFacts;
  daily_digest: DailyDigestFacts;
  weekly_health: WeeklyHealthFacts;
  data_quality: DataQualityFacts;
}

const FORMATTERS: { [K in AlertKind]: (facts: AlertFacts[K]) => AlertContent } = {
  halt: (facts) => drawdownAlert("HALT", "New entries are halted: drawdown reached the halt threshold.", facts),
  panic: (facts) => drawdownAlert("PANIC", "PANIC: drawdown reached the panic threshold.", facts),
  flatten_failed: (facts) => ({
    subject: `Flatten failed ${facts.date}: positions still open in ${facts.state}`,
    text: lines(
      `The PANIC flatten has not got the book flat; a new closing order goes out at this close.`,
      "",
      ...fields([["Attempt", facts.detail], ["State", facts.state]]),
    ),
  }),
  health_check_failed: (facts) => ({
    subject: `Health check failed ${facts.date}: ${count(facts.checks.length, "check")} failing`,
    text: lines(
      `The health check on ${facts.date} failed; trading stays halted.`,
      "",
      ...section("Failing checks", table(facts.checks.map((check) => ({ check: check.name, detail: check.detail })))),
    ),
  }),
  resume: (facts) => ({
    subject: `Resume ${facts.date}: ramp-up starts ${facts.rampUpStart}`,
    text: lines(
      `The health check on ${facts.date} passed; trading resumes with a ramp-up.`,
      "",
      ...fields([
        ["Ramp-up start", facts.rampUpStart],
        ["Ramp-up length", facts.rampUpSessions === undefined ? undefined : count(facts.rampUpSessions, "session")],
        ["Sizing", facts.sizing === undefined ? undefined : percent(facts.sizing)],
      ]),
    ),
  }),
  reconciliation_mismatch: (facts) => ({
    subject: `Reconciliation mismatch ${facts.date}: ${count(facts.rows.length, "row")}`,
    text: lines(
      `The books and the broker disagree on ${facts.date}.`,
      "",
      ...section("Mismatched rows", table(facts.rows)),
    ),
  }),
  daily_digest: (facts) => ({
    subject: `Daily digest ${facts.date}: ${facts.state}, equity ${money(facts.equity)}, drawdown ${percent(facts.drawdown)}`,
    text: lines(
      `Daily digest for ${facts.date}`,
      "",
      ...fields([
        ["Equity", money(facts.equity)],
        ["Drawdown", percent(facts.drawdown)],
        ["State", facts.state],
      ]),
      "",
      ...section("Funnel", fields(Object.entries(facts.funnel).map(([stage, n]) => [stage, String(n)]))),
      "",
      ...section("Data quality", bullets(facts.dataQuality)),
      "",
      ...section("Strategy health", statusTable(facts.health)),
    ),
  }),
  weekly_health: (facts) => ({
    subject: `Weekly health ${facts.date}: ${count(facts.health.length, "strategy", "strategies")}`,
    text: lines(`Strategy health for the week of ${facts.date}`, "", ...statusTable(facts.health)),
  }),
  data_quality: (facts) => ({
    subject: `Data quality ${facts.date}: ${count(facts.lines.length, "issue")}`,
    text: lines(`Data quality issues on ${facts.date}`, "", ...bullets(facts.lines)),
  }),
};

/** Subject and readable plain-text body for an alert of `kind`, from plain facts. */
export function formatAlert<K extends AlertKind>(kind: K, facts: AlertFacts[K]): AlertContent {
  return FORMATTERS[kind](facts);
}

function drawdownAlert(label: string, headline: string, facts: DrawdownFacts): AlertContent {
  return {
    subject: `${label} ${facts.date}: drawdown ${percent(facts.drawdown)} reached ${percent(facts.threshold)}`,
    text: lines(
      headline,
      "",
      ...fields([
        ["Date", facts.date],
        ["Equity", money(facts.equity)],
        ["High-water mark", money(facts.highWaterMark)],
        ["Drawdown", percent(facts.drawdown)],
        ["Threshold", percent(facts.threshold)],
        ["Cooldown", count(facts.cooldownSessions, "session")],
        ["Cooldown ends", facts.cooldownEnds === undefined ? undefined : `${facts.cooldownEnds} at the close, then the health check decides whether trading resumes`],
        ["Positions", facts.flattened === undefined ? undefined : facts.flattened ? "all flattened with market orders at the next open (FLATTEN_ON_PANIC)" : "kept; exits allowed, new entries blocked"],
      ]),
      ...(facts.commands?.length ? ["", ...section("What you can do", facts.commands)] : []),
    ),
  };
}

function lines(...all: string[]): string {
  return `${all.join("\n")}\n`;
}

function section(title: string, body: string[]): string[] {
  return [title, ...body.map((line) => `  ${line}`)];
}

/** `Label:  value` lines with values aligned; pairs without a value are left out. */
function fields(pairs: Array<[string, string | undefined]>): string[] {
  const present = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
  const width = Math.max(0, ...present.map(([label]) => label.length + 1));
  return present.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`);
}

function bullets(items: string[]): string[] {
  return items.length === 0 ? ["(none)"] : items.map((item) => `- ${item}`);
}

function statusTable(statuses: NamedStatus[]): string[] {
  return table(statuses.map(({ name, status, detail }) => ({ name, status, detail: detail ?? "" })));
}

/** Aligned columns named by the rows' keys; columns holding only numbers are right-aligned. */
function table(rows: Array<Record<string, string | number>>): string[] {
  if (rows.length === 0) return ["(none)"];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? "")));
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] === "number"));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((values) => values[i].length)));
  const render = (values: string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [render(columns), render(widths.map((width) => "-".repeat(width))), ...cells.map(render)];
}

function money(amount: number): string {
  const digits = Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? "-" : ""}$${digits}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

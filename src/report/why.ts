import { money, percent } from "./format.js";
import type { RunData, RunEvent } from "./load.js";

/** Event types that tell a session's safety story, printed after the strategies. */
const STORY = new Set([
  "drawdown_halt", "drawdown_panic", "health_check_passed", "health_check_failed", "rampup_started", "rampup_ended",
  "kill_switch_on", "kill_switch_off", "reconciliation_mismatch", "reconciliation_resolved", "broker_unreachable", "symbol_blocked", "order_cancel_requested",
]);

/**
 * Explains one session of a run for `tradeguard why DATE`: the account and safety state at its close, each
 * strategy's signals with the stage and reason that stopped each one (or the order it became), and the safety events.
 */
export function explainSession(data: RunData, date: string): string {
  const row = data.timeline.find((session) => session.date === date);
  if (!row) return "";
  const events = data.events.filter((event) => event.date === date);
  const strategies = strategyIds(data, events);
  const lines = [
    `${date}: state ${row.state}, equity ${money(row.equity)}, drawdown ${percent(row.drawdown)} from the high-water mark ${money(row.highWaterMark)}, ${row.ordersSubmitted} orders submitted`,
    ...strategies.flatMap((strategy) => strategyLines(strategy, events.filter((event) => event.strategy === strategy), events)),
  ];
  const story = events.filter((event) => STORY.has(event.type));
  if (story.length > 0) lines.push("safety events:", ...story.map((event) => `  ${event.type} ${event.reason}${event.symbol ? ` ${event.symbol}` : ""}: ${event.detail}`));
  return `${lines.join("\n")}\n`;
}

function strategyIds(data: RunData, events: readonly RunEvent[]): string[] {
  const known = data.run?.args.strategies?.map((spec) => spec.id ?? spec.name) ?? Object.keys(data.funnel.strategies);
  return [...new Set([...known, ...events.flatMap((event) => (event.strategy && event.type.startsWith("signal_") ? [event.strategy] : []))])];
}

/** One strategy's signals in the order the pipeline saw them: generated, then stopped or submitted. */
function strategyLines(strategy: string, own: readonly RunEvent[], all: readonly RunEvent[]): string[] {
  const generated = own.filter((event) => event.type === "signal_generated");
  const flattening = own.filter((event) => event.type === "order_submitted" && event.reason === "PANIC_FLATTEN");
  if (generated.length === 0 && flattening.length === 0) {
    const blocked = all.filter((event) => event.type === "symbol_blocked").map((event) => `${event.symbol} ${event.reason}`);
    const why = blocked.length > 0 ? `its symbols were blocked by data quality (${blocked.join(", ")})` : "it already held its target";
    return [`${strategy}: no signal: ${why}`];
  }
  const outcomes = [...generated.map((event) => signalLine(event, own)), ...flattening.map((event) => `  ${event.symbol} sell PANIC_FLATTEN → submitted: ${event.detail}`)];
  return [`${strategy}:`, ...outcomes];
}

function signalLine(signal: RunEvent, own: readonly RunEvent[]): string {
  const sameSymbol = (event: RunEvent) => event.symbol === signal.symbol;
  const rejected = own.find((event) => event.type === "signal_rejected" && sameSymbol(event));
  const submitted = own.find((event) => event.type === "order_submitted" && sameSymbol(event) && event.reason === signal.reason);
  const resized = own.find((event) => event.type === "signal_resized" && sameSymbol(event));
  const head = `  ${signal.symbol} ${signal.reason === "ENTRY" ? "buy" : "sell"} ${signal.reason} (${signal.detail})`;
  if (rejected) return `${head} → stopped at ${String(rejected.data?.stage ?? "?")}: ${rejected.reason}: ${rejected.detail}`;
  if (submitted) return `${head} → submitted${resized ? `, resized (${resized.reason}: ${resized.detail})` : ""}: ${submitted.detail}`;
  return `${head} → no order recorded`;
}

import { SystemClock } from "../clock/index.js";
import { botStatus, type BotStatus } from "../job/index.js";
import { openExistingStore } from "../store/index.js";

export interface StatusArgs {
  db: string;
  json: boolean;
}

/** `tradeguard status --db FILE [--json]`: the bot's state as its store holds it; reads only. */
export function statusCommand(args: StatusArgs): BotStatus {
  // The wall clock only stamps a migration an old store may need on open.
  const store = openExistingStore(args.db, new SystemClock());
  try {
    const status = botStatus(store);
    process.stdout.write(args.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
    return status;
  } finally {
    store.close();
  }
}

function statusText(status: BotStatus): string {
  const rows: [string, string][] = [
    ["state", stateText(status)],
    ["high-water mark", `$${status.high_water_mark.toFixed(2)}`],
    ["drawdown", status.drawdown === null ? "no session yet" : `${(status.drawdown * 100).toFixed(2)}%`],
    ["sizing multiplier", status.sizing_multiplier === null ? "no session yet" : String(status.sizing_multiplier)],
    ["kill switches", `global ${status.kill_switches.global ? "ON" : "off"}; strategies ${status.kill_switches.strategies.join(", ") || "none"}`],
    ["last health check", healthText(status)],
    ["last reconciliation", reconciliationText(status)],
    ["open orders", status.open_orders.map((order) => `${order.side} ${order.symbol} ${order.client_order_id} (${order.strategy ?? "operator"}, ${order.session}, ${order.reason})`).join("; ") || "none"],
    ["flatten pending", flattenText(status)],
    ["blocked symbols", status.blocked_symbols.map((row) => `${row.symbol}: ${row.reasons.map((reason) => `${reason.code} ${reason.detail}`).join(", ")}`).join("; ") || "none"],
    ["last session", status.last_session ?? "none yet"],
    ["running", runningText(status)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join("");
}

function stateText(status: BotStatus): string {
  if (status.sessions_left === null) return status.state;
  const phase = status.state === "RAMPUP" ? "ramp-up" : "cooldown";
  return `${status.state} (${status.sessions_left} session(s) left in the ${phase})`;
}

function healthText(status: BotStatus): string {
  const check = status.last_health_check;
  if (!check) return "none yet (it runs when a cooldown ends)";
  const items = check.checks.map((item) => `${item.passed ? "ok" : "FAILED"} ${item.name}${item.passed ? "" : ` ${item.code}: ${item.detail}`}`);
  return `${check.session} ${check.passed ? "passed" : "FAILED"}: ${items.join("; ")}`;
}

function reconciliationText(status: BotStatus): string {
  const last = status.last_reconciliation;
  if (!last) return "none yet";
  const now = last.clean ? "clean" : `MISMATCH ${last.mismatched_symbols.join(", ")}`;
  return last.last_mismatch ? `${last.session} ${now} (last mismatch ${last.last_mismatch.date}: ${last.last_mismatch.detail})` : `${last.session} ${now}`;
}

function flattenText(status: BotStatus): string {
  const obligation = status.flatten_pending;
  if (!obligation) return "none";
  const held = obligation.positions.map((position) => `${position.qty} ${position.symbol}`).join(", ");
  return `opened ${obligation.openedOn} for ${held}; ${obligation.attempts} attempt(s), last ${obligation.lastAttemptOn ?? "none"}`;
}

function runningText(status: BotStatus): string {
  const mark = status.process;
  if (!mark) return "no";
  const who = `pid ${mark.pid} on ${mark.host}, since ${new Date(mark.startedAt).toISOString()}`;
  if (status.running === null) return `unknown: marked by ${who}, another host`;
  return status.running ? `yes (${who})` : `no (${who} is gone: it stopped without clearing its mark)`;
}

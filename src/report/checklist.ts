import type { RunData, RunEvent } from "./load.js";

/** pass: exercised and behaved; fail: exercised and misbehaved (or missing where it was needed); not_exercised: never tested. */
export type CheckOutcome = "pass" | "fail" | "not_exercised";

/** One line of the go-live checklist, with the evidence from the run's own events. */
export interface CheckLine {
  check: string;
  outcome: CheckOutcome;
  evidence: string;
}

/** The go-live checklist: every safety rule the seed promises, judged from what this run recorded. */
export function goLiveChecklist(data: RunData): CheckLine[] {
  const events = data.events;
  return [drawdownStop(data), killSwitch(events), dataQuality(events), duplicateIntents(events), reconciliation(events), alerts(events), dryRun(data)];
}

const ofType = (events: readonly RunEvent[], type: string) => events.filter((event) => event.type === type);

function drawdownStop(data: RunData): CheckLine {
  const check = "Drawdown stop fired and recovered";
  const halts = ofType(data.events, "drawdown_halt").length;
  const panics = ofType(data.events, "drawdown_panic").length;
  const passed = ofType(data.events, "health_check_passed").length;
  const failed = ofType(data.events, "health_check_failed").length;
  const finalState = data.timeline.at(-1)?.state ?? "ACTIVE";
  const evidence = `${halts} halts, ${panics} panics; ${passed} health checks passed, ${failed} failed; ended ${finalState}`;
  if (halts + panics === 0) return { check, outcome: "not_exercised", evidence: "no drawdown reached the halt threshold" };
  const stuck = passed === 0;
  return { check, outcome: stuck ? "fail" : "pass", evidence: stuck ? `${evidence}: trading never resumed` : evidence };
}

function killSwitch(events: readonly RunEvent[]): CheckLine {
  const check = "Kill switch tested";
  const flips = ofType(events, "kill_switch_on");
  const blocked = events.filter((event) => event.type === "signal_rejected" && event.reason.startsWith("KILL_SWITCH"));
  if (flips.length === 0 && blocked.length === 0) return { check, outcome: "not_exercised", evidence: "no kill switch was switched on (try `tradeguard kill on --db FILE`)" };
  const first = flips[0]?.date ?? blocked[0]?.date;
  return { check, outcome: "pass", evidence: `switched on ${flips.length}× (first ${first}); ${blocked.length} entries blocked` };
}

function dataQuality(events: readonly RunEvent[]): CheckLine {
  const check = "Data-quality blocks seen";
  const blocks = ofType(events, "symbol_blocked");
  if (blocks.length === 0) return { check, outcome: "not_exercised", evidence: "no symbol failed a data-quality check" };
  const blockedOn = new Set(blocks.map((event) => `${event.date} ${event.symbol}`));
  const leaked = ofType(events, "order_submitted").filter((event) => event.reason === "ENTRY" && blockedOn.has(`${event.date} ${event.symbol}`));
  const reasons = [...new Set(blocks.map((event) => event.reason))].sort().join(", ");
  if (leaked.length > 0) return { check, outcome: "fail", evidence: `${leaked.length} entries were ordered on a blocked symbol, first ${leaked[0].date} ${leaked[0].symbol}` };
  return { check, outcome: "pass", evidence: `${blocks.length} blocks (${reasons}) on ${new Set(blocks.map((event) => event.date)).size} sessions; no entry ordered on a blocked symbol` };
}

function duplicateIntents(events: readonly RunEvent[]): CheckLine {
  const check = "No duplicate intents";
  const ids = ofType(events, "order_submitted").map((event) => String(event.data?.clientOrderId ?? event.detail));
  const repeated = ids.length - new Set(ids).size;
  const stopped = events.filter((event) => event.type === "signal_rejected" && event.reason === "DUPLICATE_INTENT").length;
  if (repeated > 0) return { check, outcome: "fail", evidence: `${repeated} client order ids were submitted twice` };
  if (ids.length === 0) return { check, outcome: "not_exercised", evidence: "no order was submitted" };
  return { check, outcome: "pass", evidence: `${ids.length} orders, each client order id once; ${stopped} repeats stopped at idempotency` };
}

function reconciliation(events: readonly RunEvent[]): CheckLine {
  const check = "Reconciliation clean";
  const mismatches = ofType(events, "reconciliation_mismatch");
  const resolved = ofType(events, "reconciliation_resolved");
  if (mismatches.length === 0) return { check, outcome: "pass", evidence: "books and broker agreed at every close" };
  const lastMismatch = mismatches[mismatches.length - 1].date;
  const open = !resolved.some((event) => event.date >= lastMismatch);
  return {
    check,
    outcome: open ? "fail" : "pass",
    evidence: `${mismatches.length} mismatches (first ${mismatches[0].date}), ${resolved.length} resolved${open ? `; still open since ${lastMismatch}` : ""}`,
  };
}

function alerts(events: readonly RunEvent[]): CheckLine {
  const check = "Alerts written";
  const sent = ofType(events, "alert_sent").length;
  const failed = ofType(events, "alert_failed").length;
  const triggers = events.filter((event) => ["drawdown_halt", "drawdown_panic", "health_check_failed", "reconciliation_mismatch"].includes(event.type)).length;
  if (failed > 0) return { check, outcome: "fail", evidence: `${failed} alerts failed to send, ${sent} sent` };
  if (sent === 0) return triggers > 0 ? { check, outcome: "fail", evidence: `${triggers} alerting events but no alert sent` } : { check, outcome: "not_exercised", evidence: "nothing called for an alert" };
  return { check, outcome: "pass", evidence: `${sent} alerts sent (outbox/*.eml or SMTP)` };
}

/** The seed's checklist asks for 3–5 dry runs before paper or live. */
const DRY_RUN_SESSIONS_NEEDED = 3;

function dryRun(data: RunData): CheckLine {
  const check = "Dry run done";
  const sessions = new Set(ofType(data.events, "dry_run_session").map((event) => event.date)).size;
  if (sessions === 0) return { check, outcome: "not_exercised", evidence: "no session of this store ran with DRY_RUN=true; run 3–5 with --set DRY_RUN=true" };
  if (sessions < DRY_RUN_SESSIONS_NEEDED) return { check, outcome: "fail", evidence: `${sessions} dry-run session(s) in the store; the checklist asks for at least ${DRY_RUN_SESSIONS_NEEDED}` };
  return { check, outcome: "pass", evidence: `${sessions} sessions ran with DRY_RUN=true: every stage ran, nothing reached the broker` };
}

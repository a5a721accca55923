import type { SessionDate } from "../clock/types.js";
import { ENGINE_STATE_KEY, type LiveCycleResult } from "../engine/index.js";
import type { Store } from "../store/index.js";
import { firstDifference, type FieldDifference } from "./diff.js";

/** What a session left in the store, in pipeline order: the rows a replay must reproduce byte for byte. */
export interface SessionRows {
  events: unknown[];
  signals: unknown[];
  intents: unknown[];
  fills: unknown[];
  equity: unknown[];
  /** The engine's state after the session (drawdown mode, ledger, open orders, funnel…). */
  state: unknown;
}

/** How a recorded cycle ended, with the engine clock's reading at its end. */
export type CycleOutcome =
  | { kind: "wiring"; clock: number }
  | ({ kind: "decided"; clock: number; session: SessionDate } & SessionRows)
  | { kind: "waiting"; clock: number; lastDecided: SessionDate | null; nextDecision: number }
  | { kind: "failed"; clock: number; error: string };

/** The outcome of a live cycle, read back from the store it persisted to. */
export function cycleOutcome(store: Store, runId: string, result: LiveCycleResult, clock: number): CycleOutcome {
  if (result.kind === "waiting") return { kind: "waiting", clock, lastDecided: result.lastDecided, nextDecision: result.nextDecision };
  return { kind: "decided", clock, session: result.session, ...sessionRows(store, runId, result.session) };
}

/** Row ids are left out: they count rows of the whole store, which a replay into a fresh store does not share. */
function sessionRows(store: Store, runId: string, session: SessionDate): SessionRows {
  const ofSession = <T extends { session: SessionDate }>(rows: T[]) => rows.filter((row) => row.session === session);
  return {
    events: store.listEvents(runId, { session }).map(({ id: _id, ...event }) => event),
    signals: ofSession(store.listSignals(runId)).map(({ id: _id, ...signal }) => signal),
    intents: ofSession(store.listOrderIntents(runId)),
    fills: ofSession(store.listFills(runId)).map(({ id: _id, ...fill }) => fill),
    equity: ofSession(store.listEquity(runId)),
    state: store.getSystemState(ENGINE_STATE_KEY) ?? null,
  };
}

/** The parts of an outcome in the order a reader follows a session; the first differing one is named. */
const PARTS = ["kind", "session", "clock", "error", "lastDecided", "nextDecision", "events", "signals", "intents", "fills", "equity", "state"] as const;

/** Where a replayed cycle first differs from the recorded one: the part (stage) and the field inside it. */
export interface OutcomeDifference extends FieldDifference {
  stage: string;
}

export function outcomeDifference(recorded: CycleOutcome, replayed: CycleOutcome): OutcomeDifference | null {
  const left = recorded as unknown as Record<string, unknown>;
  const right = replayed as unknown as Record<string, unknown>;
  for (const part of PARTS) {
    const difference = firstDifference(left[part], right[part]);
    if (difference) return { ...difference, ...rowOf(part, left[part] ?? right[part], difference.path) };
  }
  return null;
}

/** `events #2 (order_submitted)`, field `detail`, rather than `events`, field `[1].detail`: the row's position and, for events, its type. */
function rowOf(part: string, rows: unknown, path: string): { stage: string; path: string } {
  const match = /^\[(\d+)\]\.?/.exec(path);
  if (match === null || !Array.isArray(rows)) return { stage: part, path };
  const type = (rows[Number(match[1])] as { type?: unknown } | undefined)?.type;
  const field = path.slice(match[0].length) || "(row)";
  return { stage: `${part} #${Number(match[1]) + 1}${typeof type === "string" ? ` (${type})` : ""}`, path: field };
}

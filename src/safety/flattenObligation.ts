import type { SessionDate } from "../clock/types.js";
import type { SafetyEvent } from "./types.js";

/** One holding as the engine's book has it. */
export interface HeldPosition {
  symbol: string;
  qty: number;
}

/**
 * The persisted promise that PANIC (with FLATTEN_ON_PANIC) gets the book flat. It stays open, and a new
 * closing attempt goes out every session, until a close finds nothing held, however many attempts fail.
 */
export interface FlattenObligation {
  openedOn: SessionDate;
  /** What had to be closed when PANIC began. */
  positions: HeldPosition[];
  attempts: number;
  lastAttemptOn: SessionDate | null;
}

/** What one session close did to the obligation. */
export interface FlattenStep {
  /** Null once the book is flat. */
  obligation: FlattenObligation | null;
  events: SafetyEvent[];
  /** True when this close must send a closing order for every holding. */
  attempt: boolean;
}

/** The obligation recorded on the close that enters PANIC. */
export function openFlattenObligation(session: SessionDate, held: readonly HeldPosition[]): FlattenObligation {
  return { openedOn: session, positions: held.map(({ symbol, qty }) => ({ symbol, qty })), attempts: 0, lastAttemptOn: null };
}

/**
 * Advances the obligation by one close: done when nothing is held; otherwise the previous attempt failed
 * (it left holdings behind) and a new one is due.
 */
export function stepFlattenObligation(obligation: FlattenObligation, held: readonly HeldPosition[], session: SessionDate): FlattenStep {
  if (held.length === 0) {
    return { obligation: null, events: [completedEvent(obligation, session)], attempt: false };
  }
  const events = obligation.lastAttemptOn === null ? [] : [failedEvent(obligation, held)];
  return { obligation: { ...obligation, attempts: obligation.attempts + 1, lastAttemptOn: session }, events, attempt: true };
}

/** Symbols the obligation still has to close; empty when none is open. */
export function notFlatSymbols(obligation: FlattenObligation | null, held: readonly HeldPosition[]): string[] {
  return obligation === null ? [] : [...new Set(held.map((position) => position.symbol))].sort();
}

function completedEvent(obligation: FlattenObligation, session: SessionDate): SafetyEvent {
  return {
    type: "flatten_completed",
    reason: "FLATTEN_COMPLETED",
    detail: `flat on ${session} after ${obligation.attempts} attempt(s) since ${obligation.openedOn}`,
    data: { openedOn: obligation.openedOn, attempts: obligation.attempts },
  };
}

function failedEvent(obligation: FlattenObligation, held: readonly HeldPosition[]): SafetyEvent {
  const remaining = held.map(({ symbol, qty }) => `${symbol}=${qty}`).join(" ");
  return {
    type: "flatten_failed",
    reason: "FLATTEN_FAILED",
    detail: `attempt ${obligation.attempts} on ${obligation.lastAttemptOn} left ${remaining} (PANIC since ${obligation.openedOn})`,
    data: { attempt: obligation.attempts, attemptedOn: obligation.lastAttemptOn, remaining: held.map((position) => ({ ...position })) },
  };
}

import type { SessionDate } from "../clock/types.js";

/** The environment variable naming the one point, `NAME@YYYY-MM-DD`, where the process kills itself. */
export const CRASH_AT_ENV = "TRADEGUARD_CRASH_AT";

let target: string | null | undefined;

/**
 * Kills this process with SIGKILL (no cleanup, no flush, as a power cut would) when
 * TRADEGUARD_CRASH_AT names this point and session. It lets the crash harness stop a run at an exact,
 * reproducible place: inside a transaction, between an intent and its order, during a flatten.
 */
export function crashPoint(name: string, date: SessionDate): void {
  // Read once: the variable is fixed for the life of the process, and this runs many times a session.
  target ??= process.env[CRASH_AT_ENV] ?? null;
  if (target === `${name}@${date}`) process.kill(process.pid, "SIGKILL");
}

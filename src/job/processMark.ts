import { hostname } from "node:os";
import type { Clock } from "../clock/index.js";
import type { Store } from "../store/index.js";

/** The system_state key a running `trade` writes its process id under, and deletes when it stops. */
export const TRADE_PROCESS_STATE_KEY = "trade_process";

/** Which process trades on this store, since when. */
export interface TradeProcessMark {
  pid: number;
  host: string;
  startedAt: number;
}

/** Records this process as the store's trader; the wall clock stamps when it started. */
export function markTradeProcess(store: Store, clock: Clock): TradeProcessMark {
  const mark = { pid: process.pid, host: hostname(), startedAt: clock.now() };
  store.setSystemState(TRADE_PROCESS_STATE_KEY, mark);
  return mark;
}

/** Removes the mark when it is this process's; a later trader's mark stays. */
export function clearTradeProcess(store: Store): void {
  const mark = store.getSystemState<TradeProcessMark>(TRADE_PROCESS_STATE_KEY);
  if (mark?.pid === process.pid && mark.host === hostname()) store.deleteSystemState(TRADE_PROCESS_STATE_KEY);
}

/**
 * Whether the marked process is alive: true or false on the host that wrote the mark (signal 0 probes a pid
 * without touching it; a process killed outright leaves its mark behind, and a dead pid reads false), null on
 * another host, where no pid can be probed.
 */
export function isTradeProcessRunning(mark: TradeProcessMark | undefined, probe: (pid: number) => boolean = pidAlive): boolean | null {
  if (!mark) return false;
  if (mark.host !== hostname()) return null;
  return probe(mark.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user, so a process does run under it.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

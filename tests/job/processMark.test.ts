import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/clock/index.js";
import { clearTradeProcess, isTradeProcessRunning, markTradeProcess, TRADE_PROCESS_STATE_KEY, type TradeProcessMark } from "../../src/job/index.js";
import { openStore } from "../../src/store/index.js";

describe("the trade process mark", () => {
  it("records this process, reads as running while its pid lives, and is cleared by its own process only", () => {
    const store = openStore(":memory:", new SimulatedClock(0));
    const mark = markTradeProcess(store, new SimulatedClock(1_700_000_000_000));
    const running = isTradeProcessRunning(store.getSystemState<TradeProcessMark>(TRADE_PROCESS_STATE_KEY));
    store.setSystemState(TRADE_PROCESS_STATE_KEY, { ...mark, pid: mark.pid + 1 });
    clearTradeProcess(store);
    const laterTrader = store.getSystemState<TradeProcessMark>(TRADE_PROCESS_STATE_KEY);
    store.setSystemState(TRADE_PROCESS_STATE_KEY, mark);
    clearTradeProcess(store);

    expect(mark).toEqual({ pid: process.pid, host: hostname(), startedAt: 1_700_000_000_000 });
    expect(running).toBe(true);
    expect(laterTrader?.pid).toBe(mark.pid + 1);
    expect(store.getSystemState(TRADE_PROCESS_STATE_KEY)).toBeUndefined();
    store.close();
  });

  it("reads a dead pid as not running, no mark as not running, and another host's mark as unknown", () => {
    const here = { pid: 4242, host: hostname(), startedAt: 0 };

    expect(isTradeProcessRunning(here, () => false)).toBe(false);
    expect(isTradeProcessRunning(undefined)).toBe(false);
    expect(isTradeProcessRunning({ ...here, host: `${hostname()}-elsewhere` }, () => true)).toBeNull();
  });
});

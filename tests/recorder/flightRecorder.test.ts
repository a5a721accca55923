import { dirname } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { nyseCalendar, SimulatedClock } from "../../src/clock/index.js";
import { replayRecording } from "../../src/job/index.js";
import { compareFills, describeDivergence, readRecording } from "../../src/recorder/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../engine/fixtures.js";
import { everyFileUnder, recordPaperSessions, SECRET, VENUE_SLIPPAGE_BPS, type RecordedBot } from "./fixtures.js";

const SESSIONS = 20;
/** Faults on some sessions: a submit answered by a dropped connection, 429s waited out, 500s on the account and positions reads. */
const FAULTS = {
  0: [{ kind: "drop_after_accept" as const, count: 1, method: "POST", path: "/v2/orders" }],
  2: [{ kind: "rate_limit" as const, count: 1, retryAfterS: 0, path: "/v2/positions" }],
  4: [{ kind: "server_error" as const, count: 1, path: "/v2/account" }],
  7: [{ kind: "rate_limit" as const, count: 2, retryAfterS: 0, path: "/v2/clock" }, { kind: "server_error" as const, count: 1, method: "GET", path: "/v2/positions" }],
};

function readStore<T>(db: string, read: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(db, new SimulatedClock(0));
  try {
    return read(store);
  } finally {
    store.close();
  }
}

describe("the flight recorder", () => {
  let bot: RecordedBot;

  beforeAll(async () => {
    bot = await recordPaperSessions({ sessions: SESSIONS, faults: FAULTS, restartAfter: [9] });
  });

  it("records 20 paper sessions with faults, and their replay reproduces every cycle byte for byte", async () => {
    const recording = readStore(bot.db, readRecording);
    const result = await replayRecording({ dbPath: bot.db, outDir: tempDir("replay"), overrides: {} });

    expect(recording).toHaveLength(2);
    expect(recording.flatMap((process) => process.cycles).filter((cycle) => cycle.outcome?.kind === "decided")).toHaveLength(SESSIONS);
    const calls = recording.flatMap((process) => process.cycles.flatMap((cycle) => cycle.calls));
    expect(calls.some((call) => call.errorJson?.includes("UNAVAILABLE"))).toBe(true);
    expect(calls.some((call) => call.method === "submitOrder" && call.answerJson?.includes("recoveredFrom"))).toBe(true);
    expect(result).toEqual({ processes: 2, cycles: SESSIONS + 3, sessions: SESSIONS, divergence: null });
  });

  it("never writes the secret key into the store or the bot's files", () => {
    expect(everyFileUnder(dirname(bot.db)).filter((text) => text.includes(SECRET))).toEqual([]);
  });

  it("names the first session a changed drawdown threshold changes", async () => {
    const threshold = 0.002;
    const firstHalt = readStore(bot.db, (store) => store.listEquity(store.latestRun()!.runId).find((row) => row.drawdown >= threshold)?.session);

    const result = await replayRecording({ dbPath: bot.db, outDir: tempDir("replay-set"), overrides: { DRAWDOWN_HALT_THRESHOLD: String(threshold) } });

    expect(firstHalt).toBeDefined();
    expect(result.divergence).toMatchObject({ session: firstHalt });
    // The halt stops an entry the recorded bot sent: the first difference is the submit the replay no longer makes.
    expect(describeDivergence(result.divergence!)).toMatch(new RegExp(`^session ${firstHalt} \\(process \\d, cycle \\d+\\): call #\\d+ \\(submitOrder\\)`));
  });

  it("compares each recorded fill with the simulated broker's fill at the next open and suggests the venue's slippage", () => {
    const report = compareFills(readStore(bot.db, readRecording), nyseCalendar);

    expect(report.fills.length).toBeGreaterThan(0);
    expect(report.fills.every((fill) => fill.simulated !== null && fill.slippageBps !== null && Math.abs(fill.slippageBps - VENUE_SLIPPAGE_BPS) < 0.01)).toBe(true);
    expect(report.summary).toMatchObject({ medianBps: VENUE_SLIPPAGE_BPS, suggestedSlippageBps: VENUE_SLIPPAGE_BPS });
  });
});

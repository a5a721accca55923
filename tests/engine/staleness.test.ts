import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { BarStore } from "../../src/data/barStore.js";
import { prepareReplay } from "../../src/job/index.js";
import { configWith, tempDir } from "./fixtures.js";

const DAY_MS = 86_400_000;

/** Flat bars of SPY on the real NYSE sessions from a year before `from` to `to`, without a bar on `missing` dates. */
function barsWithGap(from: string, to: string, missing: ReadonlySet<string>): BarStore {
  const warmup = new Date(Date.parse(from) - 400 * DAY_MS).toISOString().slice(0, 10);
  const sessions = nyseCalendar.sessionsBetween(warmup, to);
  const series = BarStore.emptySeries("SPY", sessions.length);
  sessions.forEach((date, i) => {
    if (missing.has(date)) return;
    [series.open[i], series.high[i], series.low[i], series.close[i], series.volume[i], series.present[i]] = [100, 101, 99, 100, 1000, 1];
  });
  return new BarStore(sessions, [series]);
}

/** Sessions of the replay on which the engine blocked SPY as STALE_DATA. */
async function staleSessions(from: string, to: string, missing: readonly string[]): Promise<string[]> {
  const job = prepareReplay({
    bars: barsWithGap(from, to, new Set(missing)), dataLabel: "gap", strategies: [{ name: "buy_and_hold", params: { symbol: "SPY" } }],
    from, to, seed: 1, outDir: tempDir("stale"), config: configWith({ DATA_STALENESS_HOURS: "72" }),
  });
  await job.run();
  const events = job.deps.store.listEvents(job.runId);
  await job.close();
  return events.filter((event) => event.type === "symbol_blocked" && event.reason === "STALE_DATA").map((event) => event.date);
}

/**
 * A window of real sessions and a gap that starts on the first session after a weekend or holiday, where
 * counting calendar days (Friday's bar to Tuesday is 96 hours) and counting sessions (two missing) disagree.
 */
const windowWithGap = fc
  .record({ offset: fc.integer({ min: 0, max: 2500 }), pick: fc.nat(), gap: fc.integer({ min: 1, max: 3 }) })
  .map(({ offset, pick, gap }) => {
    const from = new Date(Date.UTC(2012, 0, 3) + offset * DAY_MS).toISOString().slice(0, 10);
    const sessions = nyseCalendar.sessionsBetween(from, new Date(Date.parse(from) + 45 * DAY_MS).toISOString().slice(0, 10));
    const afterClosedDays = sessions.map((_, i) => i).filter((i) => i > 1 && i + gap < sessions.length && Date.parse(sessions[i]) - Date.parse(sessions[i - 1]) > DAY_MS);
    const start = afterClosedDays[pick % afterClosedDays.length];
    return { from: sessions[0], to: sessions.at(-1)!, missing: sessions.slice(start, start + gap) };
  });

describe("staleness over real session dates in the engine", () => {
  it("counts missing sessions, not calendar days, across weekends and holidays (72 h = three sessions)", async () => {
    await fc.assert(
      fc.asyncProperty(windowWithGap, async ({ from, to, missing }) => {
        const stale = await staleSessions(from, to, missing);
        // Blocked exactly on the third missing session in a row, never for a shorter gap however many days it spans.
        expect(stale).toEqual(missing.length >= 3 ? [missing[2]] : []);
      }),
      { seed: 314, numRuns: 12 },
    );
  });
});

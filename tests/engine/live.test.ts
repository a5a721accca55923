import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SimulatedBroker } from "../../src/broker/index.js";
import { nyseCalendar, SimulatedClock, type SessionDate } from "../../src/clock/index.js";
import { generateSyntheticBars, type BarSource, type BarStore, type DailyBar } from "../../src/data/index.js";
import { prepareLiveTrade, prepareReplay } from "../../src/job/index.js";
import { openStore } from "../../src/store/index.js";
import { configWith, tempDir } from "./fixtures.js";

const FROM = "2019-06-03";
const TO = "2019-07-16";
const STRATEGIES = [{ name: "sma_cross", params: { symbol: "SYN000", fast: 5, slow: 20 } }, { name: "buy_and_hold", params: { symbol: "SYN001" } }];

function universe(): BarStore {
  return generateSyntheticBars({ symbols: 2, from: "2018-01-02", to: "2019-12-31", calendar: nyseCalendar, seed: 11 });
}

/** A market-data source over a BarStore that, like a real one, has no bar after the venue's current session. */
class VenueBars implements BarSource {
  readonly requests: { symbols: string[]; from: SessionDate; to: SessionDate }[] = [];
  constructor(private readonly bars: BarStore, private readonly clock: SimulatedClock) {}

  async dailyBars(symbols: readonly string[], from: SessionDate, to: SessionDate): Promise<DailyBar[]> {
    this.requests.push({ symbols: [...symbols], from, to });
    const out: DailyBar[] = [];
    for (const symbol of symbols) {
      const series = this.bars.series(symbol);
      this.bars.sessions.forEach((date, i) => {
        if (date < from || date > to || series.present[i] === 0 || nyseCalendar.closeTime(date) > this.clock.now()) return;
        out.push({ symbol, date, open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i], volume: series.volume[i] });
      });
    }
    return out;
  }
}

/** Client order ids hash the account label (simulated vs paper); compare everything else. */
function normalise(text: string): string {
  return text.replace(/tg-\d{8}-[0-9a-f]{20}/g, "tg-ID");
}

async function replayed(bars: BarStore): Promise<{ events: string[]; equity: unknown[] }> {
  const outDir = tempDir("live-replay");
  const job = prepareReplay({ bars: bars.clone(), dataLabel: "syn", strategies: STRATEGIES, from: FROM, to: TO, config: configWith(), seed: 1, outDir });
  await job.run();
  const store = job.deps.store;
  const result = { events: store.listEvents(job.runId).map((event) => normalise(JSON.stringify({ ...event, id: 0, runId: "", ts: 0 }))), equity: store.listEquity(job.runId).map((row) => ({ ...row, runId: "" })) };
  await job.close();
  return result;
}

describe("the live driver", () => {
  it("decides the same sessions as a replay when the venue's clock advances one close at a time", async () => {
    const bars = universe();
    const expected = await replayed(bars);
    const venueClock = new SimulatedClock(nyseCalendar.closeTime(nyseCalendar.previousSession(FROM)));
    const venue = new SimulatedBroker({ bars, clock: venueClock, initialCash: 1000, seed: 1 });
    const dir = tempDir("live");
    const trade = await prepareLiveTrade({
      mode: "paper", config: configWith(), strategies: STRATEGIES, dbPath: join(dir, "bot.db"), outDir: dir,
      broker: venue, barSource: new VenueBars(bars, venueClock), liveOptIn: undefined, acknowledgeState: false,
    });
    for (const date of nyseCalendar.sessionsBetween(FROM, TO)) {
      const index = bars.indexOf(date);
      venueClock.advanceTo(nyseCalendar.openTime(date));
      venue.onSessionOpen(index);
      venueClock.advanceTo(nyseCalendar.closeTime(date) + 20 * 60_000);
      venue.onSessionClose(index);
      expect((await trade.once()).kind).toBe("decided");
    }
    await trade.close();

    const store = openStore(join(dir, "bot.db"), venueClock);
    const runId = store.latestRun()!.runId;
    const events = store.listEvents(runId).map((event) => normalise(JSON.stringify({ ...event, id: 0, runId: "", ts: 0 })));
    const equity = store.listEquity(runId).map((row) => ({ ...row, runId: "" }));
    store.close();
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((event) => event.includes("order_filled"))).toBe(true);
    expect(events).toEqual(expected.events);
    expect(equity).toEqual(expected.equity);
  });

  it("waits without trading while the latest closed session is already decided, and fetches no bar twice", async () => {
    const bars = universe();
    const venueClock = new SimulatedClock(nyseCalendar.closeTime(FROM) + 20 * 60_000);
    const venue = new SimulatedBroker({ bars, clock: venueClock, initialCash: 1000, seed: 1 });
    const source = new VenueBars(bars, venueClock);
    const dir = tempDir("live-wait");
    const trade = await prepareLiveTrade({
      mode: "paper", config: configWith(), strategies: STRATEGIES, dbPath: join(dir, "bot.db"), outDir: dir,
      broker: venue, barSource: source, liveOptIn: undefined, acknowledgeState: false,
    });

    const first = await trade.once();
    const second = await trade.once();
    venueClock.advanceTo(nyseCalendar.closeTime(nyseCalendar.nextSession(FROM)) + 20 * 60_000);
    const third = await trade.once();
    await trade.close();

    expect(first).toMatchObject({ kind: "decided", session: FROM });
    expect(second).toMatchObject({ kind: "waiting", lastDecided: FROM, nextDecision: nyseCalendar.closeTime(nyseCalendar.nextSession(FROM)) + 15 * 60_000 });
    expect(third).toMatchObject({ kind: "decided", session: nyseCalendar.nextSession(FROM) });
    expect(source.requests.map((request) => request.from)).toEqual([nyseCalendar.sessionsBetween("2018-01-01", FROM).at(-260), nyseCalendar.nextSession(FROM)]);
  });

  it("mails a daily digest with equity, state, data quality and strategy health for every decided session", async () => {
    const bars = universe();
    const venueClock = new SimulatedClock(nyseCalendar.closeTime(FROM) + 20 * 60_000);
    const venue = new SimulatedBroker({ bars, clock: venueClock, initialCash: 1000, seed: 1 });
    const dir = tempDir("live-digest");
    const trade = await prepareLiveTrade({
      mode: "paper", config: configWith({ ALERT_DAILY_DIGEST: "true", ALERT_EMAIL_TO: "ops@example.com" }), strategies: STRATEGIES,
      dbPath: join(dir, "bot.db"), outDir: dir, broker: venue, barSource: new VenueBars(bars, venueClock), liveOptIn: undefined, acknowledgeState: false,
    });
    const next = nyseCalendar.nextSession(FROM);

    await trade.once();
    venueClock.advanceTo(nyseCalendar.closeTime(next) + 20 * 60_000);
    await trade.once();
    await trade.close();

    const digests = readdirSync(join(dir, "outbox")).filter((name) => name.includes("daily_digest")).sort();
    expect(digests.map((name) => name.slice(0, 10))).toEqual([FROM, next]);
    const mail = readFileSync(join(dir, "outbox", digests[1]), "utf8");
    expect(mail).toContain(`Daily digest ${next}: ACTIVE`);
    expect(mail).toMatch(/Data quality/);
    expect(mail).toMatch(/Strategy health/);
    expect(mail).toMatch(/sma_cross/);
  });

  it("refuses live mode without TRADEGUARD_LIVE=I_UNDERSTAND, before reading the venue", async () => {
    const bars = universe();
    const clock = new SimulatedClock(nyseCalendar.closeTime(FROM));
    const dir = tempDir("live-guard");
    const attempt = prepareLiveTrade({
      mode: "live", config: configWith(), strategies: STRATEGIES, dbPath: join(dir, "bot.db"), outDir: dir,
      broker: new SimulatedBroker({ bars, clock, initialCash: 1000, seed: 1 }), barSource: new VenueBars(bars, clock), liveOptIn: "yes", acknowledgeState: false,
    });

    await expect(attempt).rejects.toThrow(/TRADEGUARD_LIVE=I_UNDERSTAND/);
  });
});

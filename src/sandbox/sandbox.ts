import { nyseCalendar, SimulatedClock, type SessionDate, type TradingCalendar } from "../clock/index.js";
import { SimulatedBroker, type MarketClock, type SimulatedBrokerOptions } from "../broker/index.js";
import type { BarStore } from "../data/index.js";
import type { HttpFaults } from "./faults.js";
import { startSandboxServer, type SandboxKeys, type SandboxServer } from "./server.js";

export interface SandboxOptions {
  /** Daily bars on the calendar's sessions: the venue's prices and the market-data API's history. */
  bars: BarStore;
  /** The session the sandbox has just closed when it starts (default: the first session of `bars`). */
  from?: SessionDate;
  /** Starting cash in dollars. */
  capital: number;
  /** Seed of the simulated venue's generator (default "sandbox"). */
  seed?: string;
  keys?: SandboxKeys;
  port?: number;
  barsPageSize?: number;
  calendar?: TradingCalendar;
  /** Slippage, commission and fractional shares of the simulated venue. */
  venue?: Pick<SimulatedBrokerOptions, "slippageBps" | "commissionPerOrder" | "allowFractional">;
}

/**
 * A standalone Alpaca-compatible venue: it owns a SimulatedBroker, a replay clock and the bars, and moves
 * through sessions only when told (`advance`, or `POST /sandbox/advance`). It starts at the close of
 * `from`, so a client sees that session's bar and may place orders that fill at the next open.
 */
export class Sandbox {
  private sessionIndex: number;

  private constructor(
    readonly broker: SimulatedBroker,
    readonly clock: SimulatedClock,
    private readonly bars: BarStore,
    private readonly calendar: TradingCalendar,
    private readonly server: SandboxServer,
    startIndex: number,
  ) {
    this.sessionIndex = startIndex;
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const calendar = options.calendar ?? nyseCalendar;
    const startIndex = startIndexOf(options.bars, options.from);
    const clock = new SimulatedClock(calendar.openTime(options.bars.sessions[startIndex]));
    const broker = new SimulatedBroker({
      ...options.venue,
      bars: options.bars,
      clock,
      calendar,
      initialCash: options.capital,
      seed: options.seed ?? "sandbox",
    });
    let sandbox: Sandbox | undefined;
    const server = await startSandboxServer({
      broker,
      clock,
      calendar,
      bars: options.bars,
      keys: options.keys,
      port: options.port,
      barsPageSize: options.barsPageSize,
      advance: (sessions) => (sandbox as Sandbox).advance(sessions),
    });
    sandbox = new Sandbox(broker, clock, options.bars, calendar, server, startIndex);
    sandbox.runSession(startIndex);
    return sandbox;
  }

  get url(): string {
    return this.server.url;
  }

  get faults(): HttpFaults {
    return this.server.faults;
  }

  /** The session whose close the venue last reached. */
  get currentSession(): SessionDate {
    return this.bars.sessions[this.sessionIndex];
  }

  /** Runs the next `sessions` sessions (open: fills; close: marks and expiries) and answers the market clock. */
  async advance(sessions = 1): Promise<MarketClock> {
    const last = this.sessionIndex + sessions;
    if (last >= this.bars.sessions.length) {
      throw new RangeError(`cannot advance ${sessions} session(s) from ${this.currentSession}: the data ends at ${this.bars.sessions.at(-1)}`);
    }
    while (this.sessionIndex < last) this.runSession(this.sessionIndex + 1);
    return this.broker.getClock();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private runSession(index: number): void {
    const date = this.bars.sessions[index];
    this.clock.advanceTo(this.calendar.openTime(date));
    this.broker.onSessionOpen(index);
    this.clock.advanceTo(this.calendar.closeTime(date));
    this.broker.onSessionClose(index);
    this.sessionIndex = index;
  }
}

function startIndexOf(bars: BarStore, from: SessionDate | undefined): number {
  if (bars.sessions.length === 0) throw new RangeError("the sandbox needs bars for at least one session");
  if (from === undefined) return 0;
  const index = bars.indexOf(from);
  if (index < 0) throw new RangeError(`--from ${from} is not a session of the data (${bars.sessions[0]}..${bars.sessions.at(-1)})`);
  return index;
}

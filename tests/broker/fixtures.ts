import type { Clock } from "../../src/clock/types.js";
import { BarStore } from "../../src/data/barStore.js";
import { BrokerError, SimulatedBroker, type SimulatedBrokerOptions } from "../../src/broker/index.js";

/** One session's [open, close]; `null` means no bar arrived. */
export type Bar = readonly [open: number, close: number] | null;

/** A BarStore on consecutive dates from 2024-01-01; every symbol needs the same number of sessions. */
export function barStore(barsBySymbol: Record<string, readonly Bar[]>): BarStore {
  const entries = Object.entries(barsBySymbol);
  const length = entries[0][1].length;
  const series = entries.map(([symbol, rows]) => {
    const bars = BarStore.emptySeries(symbol, length);
    rows.forEach((row, index) => {
      if (row === null) return;
      const [open, close] = row;
      bars.open[index] = open;
      bars.high[index] = Math.max(open, close);
      bars.low[index] = Math.min(open, close);
      bars.close[index] = close;
      bars.volume[index] = 1000;
      bars.present[index] = 1;
    });
    return bars;
  });
  const sessions = Array.from({ length }, (_, index) => new Date(Date.UTC(2024, 0, 1 + index)).toISOString().slice(0, 10));
  return new BarStore(sessions, series);
}

/** `count` sessions that open and close at `price`. */
export function flat(price: number, count: number): Bar[] {
  return Array.from({ length: count }, () => [price, price] as const);
}

/** A clock that only moves when a test sets `ms`. */
export class ManualClock implements Clock {
  constructor(public ms = 1_700_000_000_000) {}

  now(): number {
    return this.ms;
  }
}

/** A simulated broker with $10,000 and seed "test" unless the options say otherwise. */
export function simulatedBroker(options: Partial<SimulatedBrokerOptions> & { bars: BarStore }): SimulatedBroker {
  return new SimulatedBroker({ clock: new ManualClock(), initialCash: 10_000, seed: "test", ...options });
}

/** Runs whole sessions (open, then close) from `from` to `to`, both included. */
export function runSessions(broker: SimulatedBroker, from: number, to: number): void {
  for (let index = from; index <= to; index++) {
    broker.onSessionOpen(index);
    broker.onSessionClose(index);
  }
}

/** The BrokerError a call failed with; fails the test when it succeeded or threw something else. */
export async function brokerErrorOf(call: Promise<unknown>): Promise<BrokerError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof BrokerError) return error;
    throw error;
  }
  throw new Error("expected the broker to answer with a BrokerError");
}

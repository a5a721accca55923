import { afterEach } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { BarStore } from "../../src/data/barStore.js";
import { Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import type { Config } from "../../src/config/index.js";

/** The key pair every sandbox in these tests pins. */
export const KEYS = { keyId: "test-key-id", secret: "test-secret-value" } as const;

/** Headers that authenticate against a sandbox pinned to KEYS. */
export const AUTH = { "APCA-API-KEY-ID": KEYS.keyId, "APCA-API-SECRET-KEY": KEYS.secret } as const;

/** NYSE sessions from 2024-01-02 on; each symbol's bars open at `open(i)` and close at `close(i)`. */
export function nyseBars(symbols: Record<string, { open: (i: number) => number; close: (i: number) => number }>, count = 30): BarStore {
  const sessions = nyseCalendar.sessionsBetween("2024-01-02", "2024-12-31").slice(0, count);
  const series = Object.entries(symbols).map(([symbol, prices]) => {
    const bars = BarStore.emptySeries(symbol, sessions.length);
    sessions.forEach((_, index) => {
      const [open, close] = [prices.open(index), prices.close(index)];
      bars.open[index] = open;
      bars.high[index] = Math.max(open, close);
      bars.low[index] = Math.min(open, close);
      bars.close[index] = close;
      bars.volume[index] = 1000 + index;
      bars.present[index] = 1;
    });
    return bars;
  });
  return new BarStore(sessions, series);
}

/** A symbol that opens and closes at `price` every session. */
export function flatAt(price: number): { open: (i: number) => number; close: (i: number) => number } {
  return { open: () => price, close: () => price };
}

const running: Sandbox[] = [];

/** A sandbox on an ephemeral port over flat AAA at $100 with $10,000, closed after the test. */
export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = await Sandbox.start({ bars: nyseBars({ AAA: flatAt(100) }), capital: 10_000, keys: KEYS, ...options });
  running.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

/** The configuration keys that point the Alpaca adapter at a sandbox. */
export function sandboxSettings(url: string, keys: { keyId: string; secret: string } = KEYS): Pick<
  Config,
  "ALPACA_API_KEY" | "ALPACA_SECRET_KEY" | "ALPACA_BASE_URL" | "ALPACA_DATA_URL" | "ALPACA_DATA_FEED"
> {
  return { ALPACA_API_KEY: keys.keyId, ALPACA_SECRET_KEY: keys.secret, ALPACA_BASE_URL: url, ALPACA_DATA_URL: "", ALPACA_DATA_FEED: "iex" };
}

/** A raw request to the sandbox, authenticated unless `headers` says otherwise. */
export async function request(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text), headers: response.headers };
}

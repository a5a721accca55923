import { spawnSync } from "node:child_process";
import { main } from "../../src/cli/main.js";
import type { BarStore } from "../../src/data/index.js";
import { nyseBars } from "../sandbox/fixtures.js";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would (for exit codes, stack traces and pipes). */
export function tradeguard(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, ["src/cli/bin.js", ...args], { encoding: "utf8", env: { ...process.env, DRY_RUN: undefined } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI's `main` in this process with stdout and stderr captured: the same code path, without a process start. */
export async function runMain(args: readonly string[]): Promise<CliResult> {
  const captured = { stdout: "", stderr: "" };
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array) => {
      captured[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    const status = await main([...args]);
    return { status, ...captured };
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
  }
}

/** `trade --broker paper --once` against a sandbox pinned to `keys`, deciding as soon as a close passes, with any history enough. */
export function tradeOnceArgs(url: string, keys: { keyId: string; secret: string }, db: string, out: string, ...extra: string[]): string[] {
  return [
    "trade", "--broker", "paper", "--once", "--db", db, "--out", out,
    "--set", `ALPACA_BASE_URL=${url}`, "--set", `ALPACA_API_KEY=${keys.keyId}`, "--set", `ALPACA_SECRET_KEY=${keys.secret}`,
    "--set", "TRADE_CLOSE_DELAY_MINUTES=0", "--set", "MIN_HISTORY_DAYS=1", ...extra,
  ];
}

/** AAA opens at $100 for two sessions, then closes at $91: a buy_and_hold fully invested at $100 is 9 % down at the third close, so HALTED. */
export function haltingBars(): BarStore {
  return nyseBars({ AAA: { open: (i) => (i < 3 ? 100 : 91), close: (i) => (i < 2 ? 100 : 91) } });
}

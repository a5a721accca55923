import { spawnSync } from "node:child_process";
import { main } from "../../src/cli/main.js";

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

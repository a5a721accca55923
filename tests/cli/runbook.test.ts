import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../engine/fixtures.js";
import { runMain, type CliResult } from "./fixtures.js";

const README = readFileSync("README.md", "utf8");

/** Commands another test already runs in full, and which one; running them here would only repeat it. */
const COVERED_ELSEWHERE: Record<string, string> = {
  "npx tradeguard scenarios run": "tests/scenario/shipped.test.ts",
};

/** The lines of the ```sh blocks of the README's Runbook section, in order. */
function runbookLines(): string[] {
  const start = README.indexOf("\n## Runbook\n");
  const section = README.slice(start, README.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) => match[1].split("\n")).map((line) => line.trim()).filter(Boolean);
}

/** The venue the runbook's `tradeguard sandbox` line starts, run as that very command on a free port. */
class SandboxProcess {
  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly url: string) {}

  static async start(args: string[]): Promise<SandboxProcess> {
    const child = spawn(process.execPath, ["src/cli/bin.js", ...args.map((arg) => (arg === "8788" ? "0" : arg))]);
    for await (const line of createInterface({ input: child.stdout })) {
      const url = line.match(/listening on (http:\/\/\S+)/)?.[1];
      if (url) return new SandboxProcess(child, url);
    }
    throw new Error(`the sandbox stopped before listening: exit ${child.exitCode}`);
  }

  stop(): void {
    this.child.kill("SIGTERM");
  }
}

/** Runs the CLI in this process with extra environment variables, restoring the environment after. */
async function withEnv(env: Record<string, string>, run: () => Promise<CliResult>): Promise<CliResult> {
  const before = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

let sandbox: SandboxProcess | undefined;
afterAll(() => sandbox?.stop());

describe("the README's runbook", () => {
  it("runs every command it lists, in order, against the sandbox", async () => {
    const dir = tempDir("runbook");
    mkdirSync(join(dir, "state"));
    const local = (word: string) => (/^(state|reports)\//.test(word) ? join(dir, word) : word);
    const venue = (word: string) => (sandbox ? word.replace("http://127.0.0.1:8788", sandbox.url) : word);
    // Keys for the sandbox (any pair), its URL for commands that name none, and decisions as soon as a close passes.
    const botEnv = (): Record<string, string> =>
      sandbox ? { APCA_API_KEY_ID: "runbook-key", APCA_API_SECRET_KEY: "runbook-secret", ALPACA_BASE_URL: sandbox.url, TRADE_CLOSE_DELAY_MINUTES: "0" } : {};
    const ran: string[] = [];
    for (const line of runbookLines()) {
      if (COVERED_ELSEWHERE[line]) {
        expect(existsSync(COVERED_ELSEWHERE[line]), line).toBe(true);
        continue;
      }
      const sql = line.match(/^sqlite3 (\S+) "(.+)"$/);
      if (sql) {
        const db = new Database(local(sql[1]), { readonly: true });
        const value = db.prepare(sql[2]).pluck().get() as string;
        db.close();
        expect(JSON.parse(value), line).toMatchObject({ mode: "ACTIVE" });
        ran.push("sqlite3");
        continue;
      }
      const advance = line.match(/^curl -X POST -d '(.+)' (\S+)$/);
      if (advance) {
        const response = await fetch(venue(advance[2]), { method: "POST", body: advance[1], headers: { "Content-Type": "application/json" } });
        expect(response.status, line).toBe(200);
        ran.push("curl");
        continue;
      }
      const words = line.split(/\s+/);
      const envWords = words.slice(0, words.indexOf("npx"));
      expect(words.slice(envWords.length, envWords.length + 2), `not a runnable runbook line: ${line}`).toEqual(["npx", "tradeguard"]);
      const args = words.slice(envWords.length + 2).map(local).map(venue);
      if (args[0] === "sandbox") {
        sandbox = await SandboxProcess.start(args);
        ran.push("sandbox");
        continue;
      }
      const env = { ...botEnv(), ...Object.fromEntries(envWords.map((word) => word.split("=") as [string, string])) };
      const result = await withEnv(env, () => runMain(args));
      expect(result.stderr, line).toBe("");
      expect(result.status, line).toBe(0);
      ran.push(args.slice(0, 2).join(" "));
    }

    expect(new Set(ran)).toEqual(new Set(["run --data", "why 2008-10-15", "sandbox", "trade --broker", "curl", "status --db", "kill on", "kill off", "report " + join(dir, "reports/paper"), "flatten --broker", "why 2019-01-03", "sqlite3"]));
  }, 600_000);
});

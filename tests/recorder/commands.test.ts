import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { SimulatedClock } from "../../src/clock/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../engine/fixtures.js";
import { recordPaperSessions, type RecordedBot } from "./fixtures.js";

/** Runs the CLI in this process and keeps what it printed. */
async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const status = await main(args);
  vi.restoreAllMocks();
  return { status, stdout, stderr };
}

describe("replay-recording and compare-fills", () => {
  let dryRun: RecordedBot;

  beforeAll(async () => {
    dryRun = await recordPaperSessions({ sessions: 6, dryRun: true });
  });

  afterEach(() => vi.restoreAllMocks());

  it("replays a DRY_RUN recording identically and exits 0", async () => {
    const result = await cli(["replay-recording", "--db", dryRun.db, "--out", tempDir("cli-replay")]);

    expect(result).toMatchObject({ status: 0, stderr: "" });
    expect(result.stdout).toBe("replayed 6 session(s) in 8 cycle(s) of 1 process(es): every event, intent and state identical to the recording\n");
  });

  it("exits 1 with one line naming the first session a --set changes", async () => {
    const result = await cli(["replay-recording", "--db", dryRun.db, "--out", tempDir("cli-replay-set"), "--set", "MAX_ORDER_NOTIONAL=50"]);

    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^tradeguard: the replay diverged at session ${dryRun.sessions[0]} \\(process 1, cycle 1\\): `));
  });

  it("exits 2 with one line naming a store that has no recording", async () => {
    const db = join(tempDir("cli-empty"), "plain.db");
    openStore(db, new SimulatedClock(0)).close();

    for (const command of [["replay-recording", "--out", tempDir("cli-out")], ["compare-fills"]]) {
      const result = await cli([...command, "--db", db]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`tradeguard: ${db} has no flight recording: give the --db of a bot traded with \`tradeguard trade\` (paper, live or DRY_RUN)\n`);
    }
  });

  it("exits 2 when a recorded answer was edited after it was written", async () => {
    const db = join(tempDir("cli-edited"), "bot.db");
    copyStore(dryRun.db, db);
    const raw = new Database(db);
    raw.prepare("UPDATE recording_calls SET answer_json = replace(answer_json, '\"isOpen\":false', '\"isOpen\":true') WHERE seq = 1").run();
    raw.close();

    const result = await cli(["replay-recording", "--db", db, "--out", tempDir("cli-edited-out")]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe("tradeguard: recorded call 1 (getClock) does not match its hash: the recording was changed after it was written\n");
  });

  it("prints no fills for a dry run, whose orders never reach the venue", async () => {
    const table = await cli(["compare-fills", "--db", dryRun.db]);
    const json = await cli(["compare-fills", "--db", dryRun.db, "--json"]);

    expect(table).toEqual({ status: 0, stdout: "no fills in the recording\n", stderr: "" });
    expect(JSON.parse(json.stdout)).toEqual({ fills: [], summary: null });
  });
});

/** A copy of a closed store (its WAL checkpointed into the main file first). */
function copyStore(from: string, to: string): void {
  const source = new Database(from);
  source.pragma("wal_checkpoint(TRUNCATE)");
  source.close();
  copyFileSync(from, to);
}

import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { tempDir } from "../engine/fixtures.js";

const RUN = ["src/cli/bin.js", "run", "--data", "data/sp500-2000.csv", "--symbol", "SPX", "--from", "2001-01-02", "--to", "2012-12-31", "--quiet"];

/** The last session the store has committed, or null before the first. */
function committedSession(db: string): string | null {
  try {
    const store = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (store.prepare("SELECT last_session FROM runs LIMIT 1").pluck().get() as string | null | undefined) ?? null;
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}

describe("a replay killed mid-run", () => {
  it("resumes from the store and ends exactly where an uninterrupted run ends", async () => {
    const dir = tempDir("kill");
    const db = join(dir, "bot.db");
    const child = spawn(process.execPath, [...RUN, "--out", join(dir, "killed"), "--db", db], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // Kill it (SIGKILL: no cleanup) once it has committed some sessions but long before the end.
    let last: string | null = null;
    for (let tries = 0; tries < 600 && (last === null || last < "2003-01-01"); tries += 1) {
      await sleep(50);
      last = committedSession(db);
    }
    child.kill("SIGKILL");
    await exited;
    const stoppedAt = committedSession(db);
    expect(stoppedAt! >= "2003-01-01" && stoppedAt! < "2012-12-31").toBe(true);

    const resumed = spawnSync(process.execPath, [...RUN, "--out", join(dir, "resumed"), "--db", db], { encoding: "utf8" });
    expect(resumed.stderr).toBe("");
    const straight = spawnSync(process.execPath, [...RUN, "--out", join(dir, "straight")], { encoding: "utf8" });
    expect(straight.status).toBe(0);
    for (const file of ["timeline.csv", "events.jsonl", "summary.json"]) {
      expect(readFileSync(join(dir, "resumed", file), "utf8"), file).toBe(readFileSync(join(dir, "straight", file), "utf8"));
    }
  });
});

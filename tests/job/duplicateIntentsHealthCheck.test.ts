import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { CRASH_AT_ENV } from "../../src/engine/index.js";
import { tempDir } from "../engine/fixtures.js";

/**
 * Two flat symbols, both 8.5 % down on 2021-02-02 (a halt until the health check on 2021-02-17), and BBB 20 %
 * up on 2021-02-16, so bh_bbb sells back to its weight on the last session of the halt: an exit, allowed in HALTED.
 */
function writeBars(file: string): void {
  const lines = ["date,symbol,open,high,low,close,volume"];
  for (const date of nyseCalendar.sessionsBetween("2020-01-02", "2021-03-31")) {
    const aaa = date >= "2021-02-02" ? 91.5 : 100;
    const bbb = date >= "2021-02-16" ? 109.8 : aaa;
    for (const [symbol, close] of [["AAA", aaa], ["BBB", bbb]] as const) lines.push(`${date},${symbol},${close},${close},${close},${close},1000`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

interface Event {
  date: string;
  type: string;
  detail: string;
}

/** One `tradeguard run` on `db`; with `crashAt` it kills itself there, as a crashed bot would. */
function run(data: string, out: string, db: string, crashAt?: string): number | null {
  const args = ["src/cli/bin.js", "run", "--data", data, "--strategy", "buy_and_hold:symbol=AAA:id=bh_aaa", "--strategy", "buy_and_hold:symbol=BBB:id=bh_bbb",
    "--from", "2021-01-04", "--to", "2021-03-05", "--capital", "100000", "--no-twin", "--quiet", "--out", out, "--db", db,
    // Each session committed at its close, as a live bot's are: the intent recorded before the send survives the kill.
    "--commit-every", "1"];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[CRASH_AT_ENV];
  if (crashAt) env[CRASH_AT_ENV] = crashAt;
  return spawnSync(process.execPath, args, { env, encoding: "utf8" }).status;
}

function healthChecks(out: string): Event[] {
  return readFileSync(join(out, "events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Event)
    .filter((event) => event.type.startsWith("health_check_"));
}

describe("the health check's duplicate-intent sub-check in a real run", () => {
  it("fails the health check after a crash made an intent's second attempt within 24 h, and passes it a day later", () => {
    const dir = tempDir("duplicates");
    const data = join(dir, "two.csv");
    writeBars(data);

    // Killed after the broker answered bh_bbb's exit and before the session committed: the restarted
    // process re-runs 2021-02-16 and records a second attempt of the same intent.
    expect(run(data, join(dir, "crashed"), join(dir, "bot.db"), "submit:after_send@2021-02-16")).not.toBe(0);
    expect(run(data, join(dir, "crashed"), join(dir, "bot.db"))).toBe(0);
    expect(run(data, join(dir, "straight"), join(dir, "straight.db"))).toBe(0);

    expect(healthChecks(join(dir, "crashed")).map(({ date, type, detail }) => [date, type, detail])).toEqual([
      ["2021-02-17", "health_check_failed", "failed=DUPLICATE_INTENTS_RECENT mode=HALTED cooldown=0"],
      ["2021-02-18", "health_check_passed", expect.stringContaining("mode=HALTED")],
    ]);
    // Without the crash the same run passes on the first try: the retry alone failed the check.
    expect(healthChecks(join(dir, "straight")).map(({ date, type }) => [date, type])).toEqual([["2021-02-17", "health_check_passed"]]);
  });
});

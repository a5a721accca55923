import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../src/config/index.js";
import { tempDir } from "../engine/fixtures.js";
import { runMain, tradeguard, type CliResult } from "./fixtures.js";

const dir = tempDir("cli-fuzz");
/** A store a run made: the bot whose state a hostile command must never change or half-write. */
const botDb = join(dir, "bot.db");
const csv = join(dir, "bars.csv");

beforeAll(async () => {
  const rows = ["date,open,high,low,close,volume", "2020-01-02,100,101,99,100,1000", "2020-01-03,100,102,99,101,1000", "2020-01-06,101,103,100,102,1000"];
  writeFileSync(csv, `${rows.join("\n")}\n`);
  const made = await runMain(["run", "--data", csv, "--symbol", "X", "--out", join(dir, "bot"), "--db", botDb, "--quiet", "--to", "2020-01-03"]);
  expect(made.stderr).toBe("");
});

function digest(path: string): string {
  return existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : "absent";
}

/** The store's bytes, WAL included: what "unchanged" means for a SQLite file. */
function storeDigest(db: string): string {
  return [db, `${db}-wal`].map(digest).join(":");
}

/** Values of every kind a hand or a script may type. */
const hostile = fc.oneof(
  fc.constantFrom("", " ", "0", "-1", "1e308", "-1e308", "1e-308", "NaN", "Infinity", "abc", "2020-01-04", "2020-02-30", "1985-01-02", "2020-01-03", "true", "yes", "12abc", "0x10", "--", "=", "a=b", "ümlaut", "9".repeat(40)),
  fc.string({ maxLength: 10 }),
  fc.double().map(String),
);

const configPair = fc.tuple(fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.string({ maxLength: 8 })), hostile).map(([key, value]) => `${key}=${value}`);

/** A `run` on the small file with some flags replaced by hostile values; the --db is a copy of the bot's store. */
const runArgs = fc
  .record({
    capital: fc.option(hostile),
    from: fc.option(hostile),
    to: fc.option(hostile),
    strategy: fc.option(fc.oneof(hostile, fc.constantFrom("sma_cross:fast=2:slow=3", "sma_cross:fast=3:slow=2", "momentum_top_n:symbols=X:topN=5", "buy_and_hold:symbol=Y", "buy_and_hold:id="))),
    set: fc.array(configPair, { maxLength: 3 }),
    seed: fc.option(hostile),
    extra: fc.option(fc.constantFrom("--synthetic", "--bogus", "--json", "--config")),
  })
  .map(({ capital, from, to, strategy, set, seed, extra }) => {
    const args = ["run", "--data", csv, "--symbol", "X", "--quiet"];
    const flag = (name: string, value: string | null) => (value === null ? [] : [`--${name}`, value]);
    args.push(...flag("capital", capital), ...flag("from", from), ...flag("to", to), ...flag("strategy", strategy), ...flag("seed", seed));
    for (const pair of set) args.push("--set", pair);
    if (extra) args.push(extra);
    return args;
  });

/** `kill`, `config`, `report` and `strategies` with hostile arguments. */
const otherArgs = fc.oneof(
  fc.tuple(fc.constantFrom("on", "off", "maybe", ""), fc.option(hostile)).map(([state, strategy]) => ["kill", state, ...(strategy === null ? [] : ["--strategy", strategy])]),
  fc.array(configPair, { maxLength: 3 }).map((pairs) => ["config", ...pairs.flatMap((pair) => ["--set", pair])]),
  hostile.map((folder) => ["report", folder]),
  fc.constant(["strategies"]),
  fc.array(hostile, { maxLength: 3 }),
);

/** Success, or exit 2 with exactly one line: never a stack trace, never exit 1 on input. */
function expectSuccessOrOneLine(result: CliResult, args: readonly string[]): void {
  expect([0, 2], `${args.join(" ")}\n${result.stderr}`).toContain(result.status);
  if (result.status === 2) expect(result.stderr.trim().split("\n"), result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

let caseNumber = 0;

describe("the CLI on hostile flags and configuration values", () => {
  it("runs or exits 2 with one line, and a refused run leaves the store it was given unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(runArgs, async (args) => {
        const db = join(dir, `case-${++caseNumber}.db`);
        copyFileSync(botDb, db);
        const before = storeDigest(db);
        const result = await runMain([...args, "--db", db, "--out", join(dir, `out-${caseNumber}`)]);
        expectSuccessOrOneLine(result, args);
        if (result.status !== 0) expect(storeDigest(db)).toBe(before);
      }),
      { seed: 9001, numRuns: 30 },
    );
  });

  it("handles kill, config, report, strategies and stray words the same way, never touching a store it refuses", async () => {
    await fc.assert(
      fc.asyncProperty(otherArgs, async (args) => {
        const db = join(dir, `other-${++caseNumber}.db`);
        copyFileSync(botDb, db);
        const before = storeDigest(db);
        const withDb = args[0] === "kill" ? [...args, "--db", db] : args;
        const result = await runMain(withDb);
        expectSuccessOrOneLine(result, withDb);
        if (result.status !== 0) expect(storeDigest(db)).toBe(before);
      }),
      { seed: 9002, numRuns: 80 },
    );
  });

  it("exits 2 with one line and no stack trace as a real process", () => {
    for (const args of [
      ["run", "--data", csv, "--symbol", "X", "--capital", "abc", "--out", join(dir, "p1")],
      ["kill", "on", "--db", join(dir, "typo.db")],
      ["scenarios", "run", join(dir, "nothing-*.yaml"), "--out", join(dir, "p3")],
    ]) {
      const result = tradeguard(...args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(existsSync(join(dir, "typo.db"))).toBe(false);
  });
});

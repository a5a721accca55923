import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../engine/fixtures.js";

const README = readFileSync("README.md", "utf8");
const README_OUT = "reports/run1";

function tradeguard(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["src/cli/bin.js", ...args], { encoding: "utf8", env: { ...process.env, DRY_RUN: undefined, CI: "1" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The README's `npx tradeguard …` commands inside ```bash blocks, continuation lines joined. */
function readmeCommands(): string[][] {
  const blocks = [...README.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1].replace(/\\\n\s*/g, " "));
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) => line.trim())
    .filter((line) => line.startsWith("npx tradeguard "))
    .map((line) => line.slice("npx tradeguard ".length).split(/\s+/));
}

/** README's run command, writing to `out` instead of reports/run1. */
const withOut = (args: string[], out: string) => args.map((arg) => arg.replace(README_OUT, out));

let out: string;
let run: ReturnType<typeof tradeguard>;

beforeAll(() => {
  out = tempDir("readme-run");
  const command = readmeCommands().find((args) => args[0] === "run" && args.includes(README_OUT));
  if (!command) throw new Error(`README.md has no \`npx tradeguard run … --out ${README_OUT}\` command`);
  run = tradeguard(withOut(command, out));
}, 300_000);

describe("the README's own replay", () => {
  it("runs, and leaves every file the README's run-folder table names", () => {
    expect(run.status, run.stderr).toBe(0);
    const table = README.slice(README.indexOf("A run folder holds:"), README.indexOf("The same command run twice"));
    const names = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((match) => [...match[1].matchAll(/`([^`]+)`/g)].map((name) => name[1]));
    expect(names).toContain("trades.csv");
    for (const name of names.filter((file) => file !== "scenario.json")) {
      if (name.includes("*")) {
        const [dir, pattern] = name.split("/");
        expect(readdirSync(join(out, dir)).some((file) => file.endsWith(pattern.slice(1))), name).toBe(true);
      } else if (name.includes("<")) {
        expect(readdirSync(join(out, "artifacts")).length, name).toBeGreaterThan(0);
      } else {
        expect(existsSync(join(out, name)), name).toBe(true);
      }
    }
  });

  it("has the numbers the README quotes for it, guarded and unguarded", () => {
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    const percent = (value: number) => (value * 100).toFixed(1);

    expect(README).toContain(`| total return | +${percent(summary.total_return)}% | +${percent(summary.twin.total_return)}% |`);
    expect(README).toContain(`| max drawdown (peak-to-trough) | ${percent(summary.max_drawdown)}% | ${percent(summary.twin.max_drawdown)}% |`);
    expect(README).toContain(`| sessions halted | ${summary.sessions_halted} | ${summary.twin.sessions_halted} |`);
  });

  it("answers the README's questions about 2008-10-15 and 2008-10-16 with the commands and files it names", () => {
    const why = readmeCommands().filter((args) => args[0] === "why");
    expect(why.map((args) => args[1])).toContain("2008-10-15");
    for (const args of why) {
      const result = tradeguard(withOut(args, out));
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^2008-10-15: state RAMPUP/);
      expect(result.stdout).toContain("→ submitted");
    }
    expect(readFileSync(join(out, "events.jsonl"), "utf8")).toContain(`"date":"2008-10-15"`);
    const artifact = README.match(/`reports\/run1\/(artifacts\/why_no_trade_summary\/[\d-]+\.json)`/)?.[1];
    expect(artifact).toBe("artifacts/why_no_trade_summary/2008-10-16.json");
    expect(JSON.parse(readFileSync(join(out, artifact!), "utf8"))).toMatchObject({ date: "2008-10-16", kind: "why_no_trade_summary" });
    expect(tradeguard(["why", "2008-10-16", "--out", out]).stdout).toContain("stopped at sizing_risk: RAMPUP_SIZING");
  });
});

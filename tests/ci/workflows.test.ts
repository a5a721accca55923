import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMANDS } from "../../src/cli/main.js";
import { tradeguard } from "../cli/fixtures.js";

const WORKFLOWS = ".github/workflows";
const VALIDATOR = "node_modules/.bin/action-validator";

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  if?: string;
}

function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS).filter((name) => name.endsWith(".yml")).map((name) => join(WORKFLOWS, name));
}

function stepsOf(file: string): Step[] {
  const workflow = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/** Each `npx tradeguard …` a workflow runs, as its words (continuation lines joined, quotes dropped). */
function tradeguardCalls(file: string): string[][] {
  return stepsOf(file)
    .flatMap((step) => (step.run ?? "").replace(/\\\n\s*/g, " ").split("\n"))
    .map((line) => line.trim())
    .filter((line) => line.startsWith("npx tradeguard "))
    .map((line) => line.slice("npx tradeguard ".length).replace(/"/g, "").split(/\s+/));
}

describe("the GitHub workflows", () => {
  it("pass the workflow validator", () => {
    const files = workflowFiles();
    expect(files.sort()).toEqual([join(WORKFLOWS, "mutation.yml"), join(WORKFLOWS, "paper.yml"), join(WORKFLOWS, "scenarios.yml")]);
    for (const file of files) {
      const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: "utf8" });
      expect(result.status, `${file}: ${result.stdout}${result.stderr}`).toBe(0);
    }
  });

  it("call only tradeguard commands and flags that exist", () => {
    const calls = workflowFiles().flatMap(tradeguardCalls);
    expect(calls.map((args) => args[0]).sort()).toEqual(["report", "scenarios", "status", "trade"]);
    for (const args of calls) {
      const command = args[0];
      expect(COMMANDS).toContain(command);
      const help = tradeguard(command, "--help");
      for (const flag of args.filter((word) => word.startsWith("--")).map((word) => word.split("=")[0])) {
        expect(help.stdout, `tradeguard ${command} ${flag}`).toContain(`${flag} `);
      }
    }
  });

  it("runs the paper bot with --fail-on-halt and still uploads everything when it fails", () => {
    const steps = stepsOf(join(WORKFLOWS, "paper.yml"));
    const trade = tradeguardCalls(join(WORKFLOWS, "paper.yml")).find((args) => args[0] === "trade");
    const upload = steps.find((step) => step.uses?.startsWith("actions/upload-artifact"));

    expect(trade).toEqual(expect.arrayContaining(["--broker", "paper", "--once", "--fail-on-halt"]));
    expect(upload?.if).toBe("always()");
    expect(upload?.with?.["retention-days"]).toBe(90);
  });

  it("never puts a secret into a command line, where a log could show it", () => {
    const scripts = workflowFiles().flatMap(stepsOf).map((step) => step.run ?? "");

    expect(scripts.filter((script) => script.includes("secrets."))).toEqual([]);
  });
});

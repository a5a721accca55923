import { mkdirSync } from "node:fs";
import type { Argv } from "yargs";
import { writeSuiteReport } from "../report/index.js";
import { parseShard, runSuite, ScenarioError, EXIT_FAIL, EXIT_INVALID, type SuiteResult } from "../scenario/index.js";
import { UsageError } from "./errors.js";
import { wholeNumberOption } from "./numberOptions.js";

/** Worker threads beyond this buy nothing on any machine and would only exhaust memory. */
const MAX_JOBS = 64;

export interface ScenariosArgs {
  action: string;
  paths: string[];
  junit?: string;
  json?: string;
  shard?: string;
  jobs?: string;
  updateGolden: boolean;
  viaSandbox: boolean;
  report: boolean;
  out: string;
  quiet: boolean;
}

export function scenariosOptions(yargs: Argv): Argv<ScenariosArgs> {
  return yargs
    .positional("action", { choices: ["run"] as const, describe: "run: replay scenarios and check their expectations" })
    .positional("paths", { type: "string", array: true, default: [] as string[], describe: "Scenario files, folders or globs (default: scenarios/)" })
    .option("junit", { type: "string", describe: "Write a JUnit XML report to FILE" })
    .option("json", { type: "string", describe: "Write a JSON report to FILE" })
    .option("shard", { type: "string", describe: "Run only shard i of n of the sorted files, e.g. 2/3" })
    .option("jobs", { type: "string", describe: "Worker threads (default: the number of cores)" })
    .option("update-golden", { type: "boolean", default: false, describe: "Rewrite each passing scenario's golden sha256 block" })
    .option("via-sandbox", { type: "boolean", default: false, describe: "Send every broker call through the Alpaca adapter over HTTP to an in-process sandbox (parity check)" })
    .option("report", { type: "boolean", default: true, describe: "Write each scenario's report (charts, report.html/md) as it finishes and the suite's report.html; --no-report skips them (run files and checks are unchanged)" })
    .option("quiet", { type: "boolean", default: false, describe: "Print only failures (and invalid files)" })
    .option("out", { type: "string", default: "reports/scenarios", describe: "Each scenario's run folder goes to OUT/<name>/" }) as unknown as Argv<ScenariosArgs>;
}

/** `tradeguard scenarios run`: exit 0 when every scenario passes, 1 on a failure, 2 on invalid input. */
export async function scenariosCommand(args: ScenariosArgs): Promise<void> {
  const jobs = wholeNumberOption(args.jobs, "--jobs", 1, MAX_JOBS);
  let suite: SuiteResult;
  try {
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    suite = await runSuite({
      paths: args.paths, cwd: process.cwd(), outDir: args.out, jobs, shard, updateGolden: args.updateGolden, viaSandbox: args.viaSandbox, report: args.report,
      junit: args.junit, json: args.json, write: (text) => (args.quiet && !/^(FAIL|INVALID)/.test(text) ? undefined : process.stdout.write(text)),
    });
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(error.message);
    throw error;
  }
  if (args.report) {
    // A fresh clone has no reports/ yet, and a run of only invalid files made no scenario folder in it either.
    mkdirSync(args.out, { recursive: true });
    const report = writeSuiteReport(args.out, suite.results, { wallMs: suite.wallMs });
    if (!args.quiet) process.stdout.write(`report ${report.html}\n`);
  }
  const { exitCode } = suite;
  if (exitCode === EXIT_INVALID) throw new UsageError("some scenario files are invalid (see INVALID above)");
  if (exitCode === EXIT_FAIL) throw new Error("some scenarios failed (see FAIL above)");
}

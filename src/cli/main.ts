import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT_OK, reportError, UsageError } from "./errors.js";
import { compareFillsCommand, compareFillsOptions } from "./compareFillsCommand.js";
import { flattenCommand, flattenOptions } from "./flattenCommand.js";
import { configCommand, strategiesCommand } from "./infoCommands.js";
import { killAndFlattenCommand } from "./killCommand.js";
import { replayRecordingCommand, replayRecordingOptions } from "./replayRecordingCommand.js";
import { reportCommand } from "./reportCommand.js";
import { runCommand, runOptions } from "./runCommand.js";
import { sandboxCommand, sandboxOptions } from "./sandboxCommand.js";
import { scenariosCommand, scenariosOptions } from "./scenariosCommand.js";
import { statusCommand } from "./statusCommand.js";
import { tradeCommand, tradeOptions } from "./tradeCommand.js";
import { whyCommand } from "./whyCommand.js";

// yargs' ESM build wraps help with a per-character wrap that splits words ("pip|eline"); its CommonJS build
// wraps at spaces (wrap-ansi), so the CLI loads that one.
const yargs = createRequire(import.meta.url)("yargs") as typeof Yargs;

/** Every command, in the order help lists them; a bare `tradeguard` names them all. */
export const COMMANDS = ["run", "trade", "status", "flatten", "kill", "replay-recording", "compare-fills", "sandbox", "why", "report", "scenarios", "strategies", "config"] as const;

/** Runs the CLI on `argv` and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const fail = (error: unknown) => {
    exitCode = reportError(error);
  };
  const exitWith = (code: number) => {
    exitCode = code;
  };
  try {
    await cli(argv, fail, exitWith);
  } catch (error) {
    fail(error);
  }
  return exitCode;
}

function cli(argv: string[], fail: (error: unknown) => void, exitWith: (code: number) => void): Promise<unknown> {
  return yargs(argv)
    .scriptName("tradeguard")
    .usage("$0 <command> [options]")
    .command("run", "Replay history through the safety pipeline and write summary, timeline, events and artifacts", runOptions, (args) =>
      runCommand(args).then(() => undefined, fail),
    )
    .command("trade", "Trade the same pipeline one session at a time: --broker simulated|paper|live, --once or --loop", tradeOptions, (args) =>
      tradeCommand(args).then(exitWith, fail),
    )
    .command("replay-recording", "Re-run a bot's recorded sessions offline, byte for byte; exit 1 naming the first divergence", replayRecordingOptions, (args) =>
      replayRecordingCommand(args).then(() => undefined, fail),
    )
    .command("compare-fills", "Each recorded fill against the simulated broker's, with a suggested SLIPPAGE_BPS", compareFillsOptions, (args) => {
      try {
        compareFillsCommand(args);
      } catch (error) {
        fail(error);
      }
    })
    .command(
      "status",
      "Show a bot's state from its store: drawdown state, kill switches, health check, reconciliation, open orders, whether it runs",
      (y) =>
        y
          .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file" })
          .option("json", { type: "boolean", default: false, describe: "Print the status as JSON" }),
      (args) => {
        try {
          statusCommand({ db: args.db, json: args.json });
        } catch (error) {
          fail(error);
        }
      },
    )
    .command(
      "flatten",
      "Emergency: cancel open orders and close every position now at the venue; the next trade session books the fills",
      (y) => flattenOptions(y, true),
      (args) => flattenCommand({ broker: args.broker as "paper" | "live", db: args.db, set: args.set, config: args.config }).then(() => undefined, fail),
    )
    .command(
      "kill <state>",
      "Flip a kill switch in the store (on|off); a running loop obeys it at its next session; on --flatten also closes everything",
      (y) =>
        flattenOptions(y, false)
          .positional("state", { choices: ["on", "off"] as const, describe: "on blocks entries, off allows them" })
          .option("strategy", { type: "string", describe: "Only this strategy id (default: the global switch)" })
          .option("flatten", { type: "boolean", default: false, describe: "With on: also cancel open orders and close every position now (needs --broker)" }),
      (args) =>
        killAndFlattenCommand({
          state: String(args.state), strategy: args.strategy, db: args.db, flatten: args.flatten,
          broker: args.broker as "paper" | "live" | undefined, set: args.set, config: args.config,
        }).then(() => undefined, fail),
    )
    .command(
      "report <out>",
      "Rebuild report.html, report.md and charts/ of a run folder from its files and store",
      (y) => y.positional("out", { type: "string", demandOption: true, describe: "The run's output folder" }),
      (args) => reportCommand({ out: String(args.out) }).then(() => undefined, fail),
    )
    .command(
      "why <date>",
      "Explain one session of a run: each strategy's signals and the stage and reason that stopped each one",
      (y) =>
        y
          .positional("date", { type: "string", demandOption: true, describe: "The session, YYYY-MM-DD" })
          .option("out", { type: "string", default: ".", describe: "The run's output folder" }),
      (args) => {
        try {
          whyCommand({ date: String(args.date), out: String(args.out) });
        } catch (error) {
          fail(error);
        }
      },
    )
    .command("scenarios <action> [paths..]", "Run scenario files (replay + injected faults + expectations); exit 0 all pass, 1 a failure, 2 invalid input", scenariosOptions, (args) =>
      scenariosCommand(args).then(() => undefined, fail),
    )
    .command("sandbox", "Serve an Alpaca-compatible paper venue on 127.0.0.1 over CSV history (for the Alpaca adapter and tests)", sandboxOptions, (args) =>
      sandboxCommand(args).then(() => undefined, fail),
    )
    .command("strategies", "List the built-in strategies and their parameters", {}, () => strategiesCommand())
    .command(
      "config",
      "Show every configuration key's value and source (--set > env > --config file > default)",
      (y) =>
        y
          .option("set", { type: "array", string: true, default: [] as string[], describe: "KEY=VALUE override" })
          .option("config", { type: "string", describe: "YAML/JSON configuration file" }),
      (args) => {
        try {
          configCommand({ set: args.set, config: args.config });
        } catch (error) {
          fail(error);
        }
      },
    )
    .demandCommand(1, `name a command: ${COMMANDS.join(", ")}`)
    .middleware(rejectRepeatedFlags, true)
    .strict()
    .help()
    .fail((message, error) => {
      throw error ?? new UsageError(`${message} (see --help)`);
    })
    .exitProcess(false)
    .parseAsync();
}

/** The options declared as lists (type "array"), and yargs' own list of positional words. */
const LIST_OPTIONS = new Set(["_", "data", "strategy", "set", "paths"]);

/** A flag that takes one value given twice (`--capital 5 --capital 7`) is a mistake; yargs would pass an array on. */
function rejectRepeatedFlags(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    // yargs also lists each dashed flag under a camelCase key; only the spelling the user typed is named.
    if (Array.isArray(value) && !LIST_OPTIONS.has(key) && key === key.toLowerCase()) {
      throw new UsageError(`--${key} was given ${value.length} times; give it once`);
    }
  }
}

/** A reader that closed the pipe (`tradeguard config | head -1`) has all it wants: stop quietly, not with a stack trace. */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? EXIT_OK);
  });
}

/** Runs the CLI as this process: its arguments in, its exit code out. */
export async function runAsProcess(): Promise<void> {
  exitQuietlyOnClosedPipe();
  process.exitCode = await main(hideBin(process.argv));
}

// `tsx src/cli/main.ts …` runs it directly; bin.js and tests import it without running it.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runAsProcess();

import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT_OK, reportError, UsageError } from "./errors.js";
import { configCommand, strategiesCommand } from "./infoCommands.js";
import { killCommand } from "./killCommand.js";
import { reportCommand } from "./reportCommand.js";
import { runCommand, runOptions } from "./runCommand.js";
import { scenariosCommand, scenariosOptions } from "./scenariosCommand.js";
import { whyCommand } from "./whyCommand.js";

/** Runs the CLI on `argv` and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const fail = (error: unknown) => {
    exitCode = reportError(error);
  };
  try {
    await cli(argv, fail);
  } catch (error) {
    fail(error);
  }
  return exitCode;
}

function cli(argv: string[], fail: (error: unknown) => void): Promise<unknown> {
  return yargs(argv)
    .scriptName("tradeguard")
    .usage("$0 <command> [options]")
    .command("run", "Replay history through the safety pipeline and write summary, timeline, events and artifacts", runOptions, (args) =>
      runCommand(args).then(() => undefined, fail),
    )
    .command(
      "kill <state>",
      "Flip a kill switch in the store (on|off); a running loop obeys it at its next session",
      (y) =>
        y
          .positional("state", { choices: ["on", "off"] as const, describe: "on blocks entries, off allows them" })
          .option("strategy", { type: "string", describe: "Only this strategy id (default: the global switch)" })
          .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file" }),
      (args) => {
        try {
          killCommand({ state: String(args.state), strategy: args.strategy, db: args.db });
        } catch (error) {
          fail(error);
        }
      },
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
    .demandCommand(1, "name a command: run, report, why, scenarios, kill, strategies, config")
    .strict()
    .help()
    .fail((message, error) => {
      throw error ?? new UsageError(`${message} (see --help)`);
    })
    .exitProcess(false)
    .parseAsync();
}

process.exitCode = await main(hideBin(process.argv));

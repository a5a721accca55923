import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Yargs from "yargs";
import type { Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT_OK, reportError, UsageError } from "./errors.js";

// yargs' ESM build wraps help with a per-character wrap that splits words ("pip|eline"); its CommonJS build
// wraps at spaces (wrap-ansi), so the CLI loads that one.
const yargs = createRequire(import.meta.url)("yargs") as typeof Yargs;

/** Every command, in the order help lists them; a bare `tradeguard` names them all. */
export const COMMANDS = ["run", "trade", "status", "flatten", "kill", "replay-recording", "compare-fills", "sandbox", "why", "report", "scenarios", "data", "strategies", "config"] as const;

/**
 * Each command's module, loaded only when that command runs: importing them all would load the whole engine
 * and its vendor packages (Alpaca SDK, canvas, SQLite) before even `--help` could print.
 */
const COMMAND_MODULES = {
  run: () => import("./runCommand.js"),
  trade: () => import("./tradeCommand.js"),
  status: () => import("./statusCommand.js"),
  flatten: () => import("./flattenCommand.js"),
  "replay-recording": () => import("./replayRecordingCommand.js"),
  "compare-fills": () => import("./compareFillsCommand.js"),
  sandbox: () => import("./sandboxCommand.js"),
  why: () => import("./whyCommand.js"),
  kill: () => import("./killCommand.js"),
  report: () => import("./reportCommand.js"),
  scenarios: () => import("./scenariosCommand.js"),
  data: () => import("./dataCommand.js"),
  strategies: () => import("./infoCommands.js"),
  config: () => import("./infoCommands.js"),
} satisfies Record<(typeof COMMANDS)[number], () => Promise<unknown>>;

/** The modules whose options yargs needs while parsing: those of commands named anywhere in `argv`. */
interface OptionModules {
  run?: typeof import("./runCommand.js");
  trade?: typeof import("./tradeCommand.js");
  /** `flatten` and `kill` share the broker options. */
  flatten?: typeof import("./flattenCommand.js");
  replayRecording?: typeof import("./replayRecordingCommand.js");
  compareFills?: typeof import("./compareFillsCommand.js");
  sandbox?: typeof import("./sandboxCommand.js");
  scenarios?: typeof import("./scenariosCommand.js");
  data?: typeof import("./dataCommand.js");
}

async function loadOptionModules(argv: readonly string[]): Promise<OptionModules> {
  const named = new Set(argv);
  return {
    run: named.has("run") ? await COMMAND_MODULES.run() : undefined,
    trade: named.has("trade") ? await COMMAND_MODULES.trade() : undefined,
    flatten: named.has("flatten") || named.has("kill") ? await COMMAND_MODULES.flatten() : undefined,
    replayRecording: named.has("replay-recording") ? await COMMAND_MODULES["replay-recording"]() : undefined,
    compareFills: named.has("compare-fills") ? await COMMAND_MODULES["compare-fills"]() : undefined,
    sandbox: named.has("sandbox") ? await COMMAND_MODULES.sandbox() : undefined,
    scenarios: named.has("scenarios") ? await COMMAND_MODULES.scenarios() : undefined,
    data: named.has("data") ? await COMMAND_MODULES.data() : undefined,
  };
}

/** A builder from a module loaded before parsing; yargs only calls it for the command it runs, which argv names. */
function optionsOf<M, A>(module: M | undefined, options: (module: M) => (yargs: Argv) => Argv<A>): (yargs: Argv) => Argv<A> {
  return (y) => {
    if (module === undefined) throw new Error("command module not loaded before parsing");
    return options(module)(y);
  };
}

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
    await cli(argv, await loadOptionModules(argv), fail, exitWith);
  } catch (error) {
    fail(error);
  }
  return exitCode;
}

function cli(argv: string[], modules: OptionModules, fail: (error: unknown) => void, exitWith: (code: number) => void): Promise<unknown> {
  return yargs(argv)
    .scriptName("tradeguard")
    .usage("$0 <command> [options]")
    .command("run", "Replay history through the safety pipeline and write summary, timeline, events and artifacts", optionsOf(modules.run, (m) => m.runOptions), (args) =>
      modules.run!.runCommand(args).then(() => undefined, fail),
    )
    .command("trade", "Trade the same pipeline one session at a time: --broker simulated|paper|live, --once or --loop", optionsOf(modules.trade, (m) => m.tradeOptions), (args) =>
      modules.trade!.tradeCommand(args).then(exitWith, fail),
    )
    .command("replay-recording", "Re-run a bot's recorded sessions offline, byte for byte; exit 1 naming the first divergence", optionsOf(modules.replayRecording, (m) => m.replayRecordingOptions), (args) =>
      modules.replayRecording!.replayRecordingCommand(args).then(() => undefined, fail),
    )
    .command("compare-fills", "Each recorded fill against the simulated broker's, with a suggested SLIPPAGE_BPS", optionsOf(modules.compareFills, (m) => m.compareFillsOptions), (args) =>
      Promise.resolve().then(() => modules.compareFills!.compareFillsCommand(args)).then(() => undefined, fail),
    )
    .command(
      "status",
      "Show a bot's state from its store: drawdown state, kill switches, health check, reconciliation, open orders, whether it runs",
      (y) =>
        y
          .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file" })
          .option("json", { type: "boolean", default: false, describe: "Print the status as JSON" }),
      (args) =>
        COMMAND_MODULES.status()
          .then((m) => m.statusCommand({ db: args.db, json: args.json }))
          .then(() => undefined, fail),
    )
    .command(
      "flatten",
      "Emergency: cancel open orders and close every position now at the venue; the next trade session books the fills",
      optionsOf(modules.flatten, (m) => (y: Argv) => m.flattenOptions(y, true)),
      (args) => modules.flatten!.flattenCommand({ broker: args.broker as "paper" | "live", db: args.db, set: args.set, config: args.config }).then(() => undefined, fail),
    )
    .command(
      "kill <state>",
      "Flip a kill switch in the store (on|off); a running loop obeys it at its next session; on --flatten also closes everything",
      optionsOf(modules.flatten, (m) => (y: Argv) =>
        m
          .flattenOptions(y, false)
          .positional("state", { choices: ["on", "off"] as const, describe: "on blocks entries, off allows them" })
          .option("strategy", { type: "string", describe: "Only this strategy id (default: the global switch)" })
          .option("flatten", { type: "boolean", default: false, describe: "With on: also cancel open orders and close every position now (needs --broker)" }),
      ),
      (args) =>
        COMMAND_MODULES.kill()
          .then((m) =>
            m.killAndFlattenCommand({
              state: String(args.state), strategy: args.strategy, db: args.db, flatten: args.flatten,
              broker: args.broker as "paper" | "live" | undefined, set: args.set, config: args.config,
            }),
          )
          .then(() => undefined, fail),
    )
    .command(
      "report <out>",
      "Rebuild report.html, report.md and charts/ of a run folder from its files and store",
      (y) => y.positional("out", { type: "string", demandOption: true, describe: "The run's output folder" }),
      (args) =>
        COMMAND_MODULES.report()
          .then((m) => m.reportCommand({ out: String(args.out) }))
          .then(() => undefined, fail),
    )
    .command(
      "why <date>",
      "Explain one session of a run: each strategy's signals and the stage and reason that stopped each one",
      (y) =>
        y
          .positional("date", { type: "string", demandOption: true, describe: "The session, YYYY-MM-DD" })
          .option("out", { type: "string", default: ".", describe: "The run's output folder" }),
      (args) =>
        COMMAND_MODULES.why()
          .then((m) => m.whyCommand({ date: String(args.date), out: String(args.out) }))
          .then(() => undefined, fail),
    )
    .command("scenarios <action> [paths..]", "Run scenario files (replay + injected faults + expectations); exit 0 all pass, 1 a failure, 2 invalid input", optionsOf(modules.scenarios, (m) => m.scenariosOptions), (args) =>
      modules.scenarios!.scenariosCommand(args).then(() => undefined, fail),
    )
    .command("sandbox", "Serve an Alpaca-compatible paper venue on 127.0.0.1 over CSV history (for the Alpaca adapter and tests)", optionsOf(modules.sandbox, (m) => m.sandboxOptions), (args) =>
      modules.sandbox!.sandboxCommand(args).then(() => undefined, fail),
    )
    .command("data <action>", "Write data files: `data synth --symbols N --sessions N --seed S --out FILE.csv` makes a seeded universe", optionsOf(modules.data, (m) => m.dataOptions), (args) =>
      modules.data!.dataCommand(args).then(() => undefined, fail),
    )
    .command("strategies", "List the built-in strategies and their parameters", {}, () =>
      COMMAND_MODULES.strategies().then((m) => m.strategiesCommand(), fail),
    )
    .command(
      "config",
      "Show every configuration key's value and source (--set > env > --config file > default)",
      (y) =>
        y
          .option("set", { type: "array", string: true, default: [] as string[], describe: "KEY=VALUE override" })
          .option("config", { type: "string", describe: "YAML/JSON configuration file" }),
      (args) =>
        COMMAND_MODULES.config()
          .then((m) => m.configCommand({ set: args.set, config: args.config }))
          .then(() => undefined, fail),
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

import type { Argv } from "yargs";
import { assertSessionDate, notASession, nyseCalendar } from "../clock/index.js";
import { CONFIG_SPEC, parseSetArguments, readConfigFile, resolveConfig, type Config } from "../config/index.js";
import { generateSyntheticBars, loadBarsCsv, type BarStore } from "../data/index.js";
import { parseStrategyArgument, prepareReplay, REPLAY_COMMIT_EVERY } from "../job/index.js";
import { colourEnabled, createProgress, formatRunSummary, writeRunReport, type RunSummary } from "../report/index.js";
import { UsageError } from "./errors.js";
import { numberOption, wholeNumberOption } from "./numberOptions.js";

export interface RunArgs {
  data?: string[];
  symbol?: string;
  synthetic?: string;
  strategy: string[];
  capital?: string;
  from?: string;
  to?: string;
  out: string;
  seed: string;
  db?: string;
  set: string[];
  config?: string;
  json: boolean;
  quiet: boolean;
  twin: boolean;
  benchmark?: string;
  commitEvery?: string;
  report: boolean;
}

export function runOptions(yargs: Argv): Argv<RunArgs> {
  return yargs
    .option("data", { type: "array", string: true, describe: "CSV file(s) of daily OHLCV bars (columns date,open,high,low,close,volume[,symbol])" })
    .option("symbol", { type: "string", describe: "Symbol name for a CSV without a symbol column" })
    .option("synthetic", { type: "string", describe: "Instead of --data: this many seeded synthetic symbols (SYN000…)" })
    .option("strategy", { type: "array", string: true, default: ["buy_and_hold"], describe: "NAME[:key=value…], repeatable; see `tradeguard strategies`" })
    .option("capital", { type: "string", describe: "Starting cash in dollars (INITIAL_CAPITAL)" })
    .option("from", { type: "string", describe: "First trading session YYYY-MM-DD; earlier bars are warm-up history" })
    .option("to", { type: "string", describe: "Last trading session YYYY-MM-DD" })
    .option("out", { type: "string", demandOption: true, describe: "Output folder for summary, timeline, events and artifacts" })
    .option("seed", { type: "string", default: "42", describe: "Seed of every random draw (broker faults, synthetic data)" })
    .option("db", { type: "string", describe: "SQLite state file to continue (default: a fresh <out>/tradeguard.db)" })
    .option("set", { type: "array", string: true, default: [], describe: "KEY=VALUE configuration override, repeatable" })
    .option("config", { type: "string", describe: "YAML/JSON file of KEY: value configuration" })
    .option("json", { type: "boolean", default: false, describe: "Print the summary as JSON" })
    .option("twin", { type: "boolean", default: true, describe: "Also replay the unguarded twin (no drawdown stop, kill switches or data-quality blocking); --no-twin skips it" })
    .option("report", { type: "boolean", default: true, describe: "Write report.html, report.md and charts/ after the run; --no-report skips them (the run files are written either way; `tradeguard report DIR` renders them later)" })
    .option("benchmark", { type: "string", describe: "Symbol whose buy-and-hold the report compares with (default: the data's first symbol)" })
    .option("commit-every", {
      type: "string",
      describe: `Sessions per SQLite commit (default ${REPLAY_COMMIT_EVERY}). Durability relaxed for speed: a replay killed mid-run loses up to that many uncommitted sessions and decides them again when resumed with --db, to the same bytes. 1 commits every session, as \`trade\` always does`,
    })
    .option("quiet", { type: "boolean", default: false, describe: "Print nothing on success" }) as unknown as Argv<RunArgs>;
}

/** `tradeguard run`: replays history through the safety pipeline and writes the run's files. */
export async function runCommand(args: RunArgs): Promise<RunSummary> {
  const config = configFromArgs(args);
  const from = dateOption(args.from, "--from");
  const to = dateOption(args.to, "--to");
  const synthetic = wholeNumberOption(args.synthetic, "--synthetic", 1, MAX_SYNTHETIC_SYMBOLS);
  const bars = await loadData(args, synthetic, from, to);
  const job = prepareReplay({
    bars,
    dataLabel: args.data ?? { synthetic },
    strategies: args.strategy.map(parseStrategyArgument),
    defaultSymbol: args.symbol ?? (bars.symbols.length === 1 ? bars.symbols[0] : undefined),
    from, to, config, seed: args.seed, outDir: args.out, dbPath: args.db,
    twin: args.twin, benchmark: args.benchmark,
    commitEvery: wholeNumberOption(args.commitEvery, "--commit-every", 1, MAX_COMMIT_EVERY) ?? REPLAY_COMMIT_EVERY,
  });
  const progress = args.quiet || args.json ? undefined : createProgress(nyseCalendar.sessionsBetween(job.from, job.to).length, "replay");
  try {
    const { summary } = await job.run({ afterSession: () => progress?.tick() });
    progress?.done();
    const report = args.report ? (await writeRunReport(args.out)).html : undefined;
    printSummary(summary, args, report);
    return summary;
  } finally {
    await job.close();
  }
}

/** The configuration of a command: --set > environment > --config file > default, with --capital as INITIAL_CAPITAL. */
export function configFromArgs(args: { set: string[]; capital?: string; config?: string }): Config {
  const cli = parseSetArguments(args.set);
  // Checked here, so the error names --capital rather than the configuration key it sets.
  if (args.capital !== undefined) cli.INITIAL_CAPITAL = String(numberOption(args.capital, "--capital", CONFIG_SPEC.INITIAL_CAPITAL, "--capital 1000"));
  return resolveConfig({
    cli,
    env: process.env,
    ...(args.config ? { file: readConfigFile(args.config), filePath: args.config } : {}),
  }).config;
}

/** A transaction this long already makes commits a negligible cost; longer ones only hold more in the WAL. */
const MAX_COMMIT_EVERY = 100_000;

/** Synthetic symbols are named SYN000…SYN999. */
const MAX_SYNTHETIC_SYMBOLS = 1000;

/** A `--from`/`--to` value: a real date that is an NYSE session, or a one-line error naming the flag. */
export function dateOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    assertSessionDate(value, flag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const problem = notASession(nyseCalendar, value);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
  return value;
}

/** The bars of --data files or `synthetic` seeded symbols. */
export async function loadData(args: Pick<RunArgs, "data" | "symbol" | "seed">, synthetic: number | undefined, from?: string, to?: string): Promise<BarStore> {
  if (synthetic !== undefined) {
    if (args.data) throw new UsageError("give either --data or --synthetic, not both");
    if (!from || !to) throw new UsageError("--synthetic needs --from and --to (warm-up history is generated from 300 sessions before --from)");
    const start = nyseCalendar.sessionsBetween("1990-01-02", from).at(-301) ?? from;
    return generateSyntheticBars({ symbols: synthetic, from: start, to, calendar: nyseCalendar, seed: args.seed });
  }
  if (!args.data || args.data.length === 0) throw new UsageError("missing --data FILE.csv (or --synthetic N)");
  return loadBarsCsv({ files: args.data, symbol: args.symbol, calendar: nyseCalendar });
}

function printSummary(summary: RunSummary, args: RunArgs, report: string | undefined): void {
  if (args.quiet) return;
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatRunSummary(summary, { colour: colourEnabled(), report }));
}

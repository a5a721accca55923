import type { Argv } from "yargs";
import { nyseCalendar } from "../clock/index.js";
import { synthUniverse, writeBarsCsv } from "../data/index.js";
import { UsageError } from "./errors.js";
import { wholeNumberOption } from "./numberOptions.js";

export interface DataArgs {
  action: string;
  symbols: string;
  sessions: string;
  seed: string;
  out: string;
}

export function dataOptions(yargs: Argv): Argv<DataArgs> {
  return yargs
    .positional("action", { choices: ["synth"] as const, describe: "synth: write a seeded synthetic universe" })
    .option("symbols", { type: "string", default: "50", describe: "How many symbols (SYN000, SYN001, …)" })
    .option("sessions", { type: "string", default: "2517", describe: "How many NYSE sessions, from 1990-01-02" })
    .option("seed", { type: "string", default: "7", describe: "Seed of the price paths" })
    .option("out", { type: "string", demandOption: true, describe: "CSV file to write (replay it with `run --data FILE`)" }) as unknown as Argv<DataArgs>;
}

/** Symbols a synthetic universe may have; names stay SYN000… and the file stays a few GB at most. */
const MAX_SYMBOLS = 10_000;
const MAX_SESSIONS = 20_000;

/** `tradeguard data synth`: a seeded multi-symbol CSV on the NYSE calendar, for benchmarks and tests. */
export async function dataCommand(args: DataArgs): Promise<void> {
  if (args.action !== "synth") throw new UsageError(`unknown data action ${args.action}; use: synth`);
  const symbols = wholeNumberOption(args.symbols, "--symbols", 1, MAX_SYMBOLS) ?? 50;
  const sessions = wholeNumberOption(args.sessions, "--sessions", 1, MAX_SESSIONS) ?? 2517;
  const bars = synthUniverse({ symbols, sessions, seed: args.seed, calendar: nyseCalendar });
  const rows = await writeBarsCsv(bars, args.out);
  process.stdout.write(`wrote ${args.out}: ${rows} bars, ${symbols} symbols, ${bars.sessions[0]}..${bars.sessions.at(-1)}\n`);
}

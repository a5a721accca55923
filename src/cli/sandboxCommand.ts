import { once } from "node:events";
import type { Argv } from "yargs";
import { nyseCalendar } from "../clock/index.js";
import { loadBarsCsv, type BarStore } from "../data/index.js";
import { Sandbox } from "../sandbox/index.js";
import { UsageError } from "./errors.js";
import { dateOption } from "./runCommand.js";

export interface SandboxArgs {
  port: number;
  data: string[];
  symbol?: string;
  from?: string;
  capital: number;
  key?: string;
  secret?: string;
  seed: string;
}

export function sandboxOptions(yargs: Argv): Argv<SandboxArgs> {
  return yargs
    .option("port", { type: "number", default: 8788, describe: "Port on 127.0.0.1 (0 picks a free one)" })
    .option("data", { type: "array", string: true, demandOption: true, describe: "CSV file(s) of daily OHLCV bars: the venue's prices and market data" })
    .option("symbol", { type: "string", describe: "Symbol name for a CSV without a symbol column" })
    .option("from", { type: "string", describe: "Session the sandbox starts at the close of (default: the first in the data)" })
    .option("capital", { type: "number", default: 100_000, describe: "Starting cash in dollars" })
    .option("key", { type: "string", describe: "Accept only this APCA-API-KEY-ID (default: any non-empty pair)" })
    .option("secret", { type: "string", describe: "Accept only this APCA-API-SECRET-KEY (with --key)" })
    .option("seed", { type: "string", default: "sandbox", describe: "Seed of the simulated venue" }) as unknown as Argv<SandboxArgs>;
}

/** `tradeguard sandbox`: serves an Alpaca-compatible venue on 127.0.0.1 until SIGINT or SIGTERM. */
export async function sandboxCommand(args: SandboxArgs): Promise<void> {
  if ((args.key === undefined) !== (args.secret === undefined)) throw new UsageError("give --key and --secret together, or neither");
  if (!(Number.isInteger(args.port) && args.port >= 0 && args.port <= 65_535)) throw new UsageError(`--port: expected 0..65535, got ${args.port}`);
  if (!(args.capital > 0)) throw new UsageError(`--capital: expected a positive amount, got ${args.capital}`);
  const bars = await loadBarsCsv({ files: args.data, symbol: args.symbol, calendar: nyseCalendar });
  const sandbox = await startSandbox(args, bars);
  const keys = args.key === undefined ? "any non-empty key pair" : "the --key/--secret pair";
  process.stdout.write(`sandbox listening on ${sandbox.url} at the close of ${sandbox.currentSession} (accepts ${keys}; POST /sandbox/advance moves it on)\n`);
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  await sandbox.close();
}

async function startSandbox(args: SandboxArgs, bars: BarStore): Promise<Sandbox> {
  try {
    return await Sandbox.start({
      bars,
      from: dateOption(args.from, "--from"),
      capital: args.capital,
      seed: args.seed,
      port: args.port,
      keys: args.key === undefined || args.secret === undefined ? undefined : { keyId: args.key, secret: args.secret },
    });
  } catch (error) {
    // The sandbox refuses a --from outside the data with a RangeError.
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

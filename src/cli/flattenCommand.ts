import type { Argv } from "yargs";
import { operatorFlatten, type OperatorFlattenResult } from "../job/index.js";
import { configFromArgs } from "./runCommand.js";
import { openVenue } from "./venue.js";

export interface FlattenArgs {
  broker: "paper" | "live";
  db: string;
  set: string[];
  config?: string;
}

/** The parsed values of `flattenOptions`. */
interface FlattenOptionValues {
  broker: string | undefined;
  db: string;
  set: string[];
  config: string | undefined;
}

/** The options `flatten` and `kill on --flatten` share: which venue, which store, its configuration. */
export function flattenOptions<T>(yargs: Argv<T>, brokerRequired: boolean): Argv<T & FlattenOptionValues> {
  return yargs
    .option("broker", { type: "string", choices: ["paper", "live"], demandOption: brokerRequired, describe: "The venue whose positions are closed (live needs TRADEGUARD_LIVE=I_UNDERSTAND)" })
    .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file" })
    .option("set", { type: "array", string: true, default: [] as string[], describe: "KEY=VALUE configuration override, repeatable (keys, ALPACA_BASE_URL, DRY_RUN)" })
    .option("config", { type: "string", describe: "YAML/JSON file of KEY: value configuration" }) as unknown as Argv<T & FlattenOptionValues>;
}

/** `tradeguard flatten --broker paper|live --db FILE`: cancel open orders and close every position now. */
export async function flattenCommand(args: FlattenArgs): Promise<OperatorFlattenResult> {
  const config = configFromArgs({ set: [...args.set, `BROKER_MODE=${args.broker}`], config: args.config });
  const result = await operatorFlatten({
    mode: args.broker, config, dbPath: args.db, liveOptIn: process.env.TRADEGUARD_LIVE,
    openBroker: () => openVenue(args.broker, config, process.env).broker,
  });
  const placed = result.orders.map((order) => `${order.side} ${order.qty} ${order.symbol} (${order.clientOrderId})`).join(", ") || "nothing was held";
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`${result.sent ? "" : "DRY_RUN, nothing sent: "}flatten after ${result.session}: open orders canceled; ${placed}`);
  say(`the next \`tradeguard trade\` session books these fills; strategies may buy again unless the kill switch is on (tradeguard kill on --db ${args.db})`);
  return result;
}

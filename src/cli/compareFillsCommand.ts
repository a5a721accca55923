import type { Argv } from "yargs";
import { nyseCalendar } from "../clock/index.js";
import { loadRecording } from "../job/index.js";
import { compareFills, type FillComparison, type FillsReport } from "../recorder/index.js";

export interface CompareFillsArgs {
  db: string;
  json: boolean;
}

export function compareFillsOptions(yargs: Argv): Argv<CompareFillsArgs> {
  return yargs
    .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file, with its flight recording" })
    .option("json", { type: "boolean", default: false, describe: "Print the comparison as JSON" }) as unknown as Argv<CompareFillsArgs>;
}

/** `tradeguard compare-fills`: each recorded fill against the simulated broker's, and the SLIPPAGE_BPS that would close the gap. */
export function compareFillsCommand(args: CompareFillsArgs): number {
  const report = compareFills(loadRecording(args.db), nyseCalendar);
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : table(report));
  return 0;
}


const HEADER = ["client order id", "symbol", "side", "qty", "price", "filled at", "sim qty", "sim price", "sim at", "bps"];

function table(report: FillsReport): string {
  if (report.fills.length === 0) return "no fills in the recording\n";
  const rows = [HEADER, ...report.fills.map(row)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const lines = rows.map((cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd());
  const { summary } = report;
  if (summary === null) return `${lines.join("\n")}\nno fill has a recorded bar for its simulated session\n`;
  lines.push(
    "",
    `slippage over ${summary.fills} fill(s), adverse positive: mean ${summary.meanBps} bps, median ${summary.medianBps} bps, p90 ${summary.p90Bps} bps`,
    `suggested: --set SLIPPAGE_BPS=${summary.suggestedSlippageBps}`,
  );
  return `${lines.join("\n")}\n`;
}

function row(fill: FillComparison): string[] {
  const simulated = fill.simulated;
  return [
    fill.clientOrderId, fill.symbol, fill.side, String(fill.real.qty), String(fill.real.price), timeText(fill.real.time),
    simulated ? String(simulated.qty) : "-", simulated ? String(simulated.price) : "-", simulated ? timeText(simulated.time) : "-",
    fill.slippageBps === null ? "-" : fill.slippageBps.toFixed(2),
  ];
}

function timeText(ms: number | null): string {
  return ms === null ? "-" : new Date(ms).toISOString().replace(".000Z", "Z");
}

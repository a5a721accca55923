import type { Argv } from "yargs";
import { parseSetArguments } from "../config/index.js";
import { replayRecording, REPLAY_DB } from "../job/index.js";
import { describeDivergence } from "../recorder/index.js";

export interface ReplayRecordingArgs {
  db: string;
  out: string;
  set: string[];
  quiet: boolean;
}

export function replayRecordingOptions(yargs: Argv): Argv<ReplayRecordingArgs> {
  return yargs
    .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file, with its flight recording" })
    .option("out", { type: "string", demandOption: true, describe: `Folder for the replay's store (${REPLAY_DB}, rewritten), run files and artifacts` })
    .option("set", { type: "array", string: true, default: [], describe: "KEY=VALUE change to the recorded config, repeatable: what would this rule have done?" })
    .option("quiet", { type: "boolean", default: false, describe: "Print nothing but errors" }) as unknown as Argv<ReplayRecordingArgs>;
}

/** A replay that did not reproduce its recording: a non-deterministic pipeline, or a rule changed by --set (exit 1). */
export class ReplayDivergenceError extends Error {
  override name = "ReplayDivergenceError";
}

/** `tradeguard replay-recording`: re-runs the recorded sessions offline and checks each one byte for byte. */
export async function replayRecordingCommand(args: ReplayRecordingArgs): Promise<number> {
  const result = await replayRecording({ dbPath: args.db, outDir: args.out, overrides: parseSetArguments(args.set) });
  if (result.divergence) throw new ReplayDivergenceError(`the replay diverged at ${describeDivergence(result.divergence)}`);
  if (!args.quiet) {
    process.stdout.write(`replayed ${result.sessions} session(s) in ${result.cycles} cycle(s) of ${result.processes} process(es): every event, intent and state identical to the recording\n`);
  }
  return 0;
}

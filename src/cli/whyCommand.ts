import { loadRun, RunFolderError } from "../report/index.js";
import { explainSession } from "../report/why.js";
import { UsageError } from "./errors.js";

/** `tradeguard why DATE [--out DIR]`: prints each strategy's signals that session and what stopped each one. */
export function whyCommand(args: { date: string; out: string; write?: (text: string) => void }): string {
  let text: string;
  try {
    const data = loadRun(args.out);
    text = explainSession(data, args.date);
    if (text === "") {
      const first = data.timeline[0]?.date ?? "—";
      const last = data.timeline.at(-1)?.date ?? "—";
      throw new UsageError(`${args.date} is not a session of the run in ${args.out} (${first}..${last}; weekends and holidays have none)`);
    }
  } catch (error) {
    throw error instanceof RunFolderError ? new UsageError(error.message) : error;
  }
  (args.write ?? ((line: string) => process.stdout.write(line)))(text);
  return text;
}

import { RunFolderError, writeRunReport, type WrittenReport } from "../report/index.js";
import { UsageError } from "./errors.js";

/** `tradeguard report <out>`: rebuilds report.html, report.md and charts/ from a run's files and store. */
export async function reportCommand(args: { out: string; quiet?: boolean }): Promise<WrittenReport> {
  try {
    const written = await writeRunReport(args.out);
    if (!args.quiet) process.stdout.write(`wrote ${written.html}, ${written.markdown} and ${written.charts.length} charts\n`);
    return written;
  } catch (error) {
    throw error instanceof RunFolderError ? new UsageError(error.message) : error;
  }
}

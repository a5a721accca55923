/**
 * Reads Stryker's JSON report and checks each folder's mutation score against its target, because
 * Stryker's own `thresholds.break` is one number for the whole run. Exit code 1 when a folder misses.
 * Usage: tsx tests/mutation/folderScores.ts [reports/mutation/mutation.json]
 */
import { readFileSync } from "node:fs";

/** The folders with a target (percent), most specific first. */
export const TARGETS: readonly { folder: string; minScore: number }[] = [
  { folder: "src/safety/", minScore: 90 },
  { folder: "src/engine/stages/", minScore: 80 },
  { folder: "src/portfolio/", minScore: 80 },
];

interface Report {
  files: Record<string, { mutants: { status: string }[] }>;
}

export interface FolderScore {
  folder: string;
  detected: number;
  undetected: number;
  ignored: number;
  /** Detected ÷ (detected + undetected) in percent; null when the run mutated nothing there. */
  score: number | null;
}

/** Killed and timed-out mutants count as detected; survivors and uncovered ones as undetected (Stryker's definition). */
export function folderScore(report: Report, folder: string): FolderScore {
  const tally = { detected: 0, undetected: 0, ignored: 0 };
  for (const [path, file] of Object.entries(report.files)) {
    if (!path.replaceAll("\\", "/").includes(folder)) continue;
    for (const { status } of file.mutants) {
      if (status === "Killed" || status === "Timeout") tally.detected += 1;
      else if (status === "Survived" || status === "NoCoverage") tally.undetected += 1;
      else if (status === "Ignored") tally.ignored += 1;
    }
  }
  const valid = tally.detected + tally.undetected;
  return { folder, ...tally, score: valid === 0 ? null : (100 * tally.detected) / valid };
}

/**
 * The folders a run's `--mutate` patterns name (all when none are given). Stryker's incremental report keeps the
 * results of files outside a narrowed run as they were, so only the folders this run mutated are judged.
 */
export function foldersOf(args: readonly string[]): string[] {
  const at = args.findIndex((arg) => arg === "--mutate" || arg === "-m" || arg.startsWith("--mutate="));
  if (at < 0) return TARGETS.map((target) => target.folder);
  const value = args[at].startsWith("--mutate=") ? args[at].slice("--mutate=".length) : (args[at + 1] ?? "");
  const patterns = value.split(",").filter((pattern) => !pattern.startsWith("!"));
  return TARGETS.map((target) => target.folder).filter((folder) => patterns.some((pattern) => pattern.startsWith(folder) || folder.startsWith(pattern.replace(/\*.*$/, ""))));
}

/** Prints each folder's score; 0 when every mutated folder (of `folders`, default all) meets its target, else 1. */
export function scoreReport(file: string, folders: readonly string[] = TARGETS.map((target) => target.folder)): number {
  const report = JSON.parse(readFileSync(file, "utf8")) as Report;
  let failed = 0;
  for (const { folder, minScore } of TARGETS) {
    if (!folders.includes(folder)) {
      console.log(`${folder.padEnd(20)} not mutated in this run (results kept from an earlier run are not judged)`);
      continue;
    }
    const result = folderScore(report, folder);
    const shown = result.score === null ? "not mutated in this run" : `${result.score.toFixed(2)}%`;
    const verdict = result.score === null ? "skip" : result.score >= minScore ? "ok" : "BELOW TARGET";
    if (verdict === "BELOW TARGET") failed += 1;
    console.log(`${folder.padEnd(20)} ${shown.padEnd(24)} target ${minScore}%  ${verdict}  (detected ${result.detected}, undetected ${result.undetected}, ignored as equivalent ${result.ignored})`);
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith("folderScores.ts")) process.exitCode = scoreReport(process.argv[2] ?? "reports/mutation/mutation.json");

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExpectationResult } from "./expectations.js";
import type { Golden } from "./schema.js";

/** The sha256 of the run's events.jsonl and timeline.csv. */
export function runHashes(outDir: string): Golden {
  const sha = (file: string) => createHash("sha256").update(readFileSync(join(outDir, file))).digest("hex");
  return { eventsSha256: sha("events.jsonl"), timelineSha256: sha("timeline.csv") };
}

/** The golden pins as expectations: each file's hash must equal the pinned one. */
export function checkGolden(golden: Golden, actual: Golden): ExpectationResult[] {
  return [
    { expectation: "golden.events_sha256", ok: actual.eventsSha256 === golden.eventsSha256, expected: `events.jsonl sha256 ${golden.eventsSha256}`, actual: actual.eventsSha256 },
    { expectation: "golden.timeline_sha256", ok: actual.timelineSha256 === golden.timelineSha256, expected: `timeline.csv sha256 ${golden.timelineSha256}`, actual: actual.timelineSha256 },
  ];
}

/** Rewrites the scenario file's `golden` block with `hashes`, leaving every other line of the file as it was. */
export function writeGolden(file: string, hashes: Golden): void {
  const block = { events_sha256: hashes.eventsSha256, timeline_sha256: hashes.timelineSha256 };
  const source = readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(source), golden: block }, null, 2)}\n`);
    return;
  }
  // Quoted: an all-digit hash would otherwise read back as a number.
  const lines = `golden:\n  events_sha256: "${block.events_sha256}"\n  timeline_sha256: "${block.timeline_sha256}"\n`;
  const existing = /^golden:.*\n?(?:[ \t]+.*\n?)*/m;
  const updated = existing.test(source) ? source.replace(existing, lines) : `${source.replace(/\n*$/, "\n")}${lines}`;
  writeFileSync(file, updated);
}

import { createHash } from "node:crypto";

/** A run id derived from what defines the run, so the same command gives the same id (and byte-identical output). */
export function deriveRunId(definition: unknown): string {
  return `run-${createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 12)}`;
}

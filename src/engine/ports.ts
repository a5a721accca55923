import type { SessionDate } from "../clock/types.js";

/** Where the pipeline leaves (the engine's port; the report folder writes files behind it) a JSON file for every decision worth explaining. */
export interface ArtifactSink {
  /** Writes one artifact; returns the file's JSON text when it keeps one (alerts attach it). */
  write(kind: string, date: SessionDate, payload: Record<string, unknown>): string | void;
  /** Deletes artifacts dated before `cutoff`; returns how many went. */
  deleteBefore?(cutoff: SessionDate): number;
  /** Resolves once every artifact written so far is on disk (a sink may write in the background); throws a write's error. */
  flush?(): Promise<void>;
}

import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SessionDate } from "../clock/types.js";
import type { ArtifactSink } from "../engine/index.js";
import { BackgroundFiles } from "./backgroundFiles.js";

export const ARTIFACT_SCHEMA_VERSION = 1;


export interface ArtifactWriterOptions {
  /**
   * Write files on a worker thread instead of blocking the session; `flush` waits for them.
   * A replay that commits several sessions at once flushes before each commit, so a commit never outruns its files.
   */
  background?: boolean;
}

/** Writes `<out>/artifacts/<kind>/<date>.json`, each stamped with schema version, run id and date. */
export class ArtifactWriter implements ArtifactSink {
  private readonly root: string;
  /** Date of the oldest artifact on disk: undefined until the folder was scanned, null when there is none. */
  private oldest: SessionDate | null | undefined;
  private readonly madeDirs = new Set<string>();
  private readonly background: BackgroundFiles | undefined;

  constructor(
    outDir: string,
    private readonly runId: string,
    options: ArtifactWriterOptions = {},
  ) {
    this.root = join(outDir, "artifacts");
    this.background = options.background ? new BackgroundFiles() : undefined;
  }

  write(kind: string, date: SessionDate, payload: Record<string, unknown>): string {
    const dir = join(this.root, kind);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const body = { schema_version: ARTIFACT_SCHEMA_VERSION, run_id: this.runId, date, kind, ...payload };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    const path = join(dir, `${date}.json`);
    if (this.background) this.background.write(path, text);
    else writeFileSync(path, text);
    if (this.oldest === null || (this.oldest !== undefined && date < this.oldest)) this.oldest = date;
    return text;
  }

  async flush(): Promise<void> {
    await this.background?.flush();
  }

  /** Flushes and stops the background writer, if any. */
  async close(): Promise<void> {
    await this.background?.close();
  }

  /** Deletes artifacts dated before `cutoff` (an ISO date on the run's clock); returns how many went. */
  deleteBefore(cutoff: SessionDate): number {
    // Runs every session: skip the folder scan while nothing on disk is old enough.
    if (this.oldest === null || (this.oldest !== undefined && this.oldest >= cutoff)) return 0;
    let deleted = 0;
    let oldest: SessionDate | null = null;
    for (const kind of safeReaddir(this.root)) {
      const dir = join(this.root, kind);
      if (!statSync(dir).isDirectory()) continue;
      for (const file of safeReaddir(dir).filter((name) => name.endsWith(".json"))) {
        const date = file.slice(0, 10);
        if (date < cutoff) {
          rmSync(join(dir, file));
          deleted += 1;
        } else if (oldest === null || date < oldest) {
          oldest = date;
        }
      }
    }
    this.oldest = oldest;
    return deleted;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

// The error classes come from the files that define them, not the concepts' index files: every command loads
// this module, and the indexes would load the whole engine (and its vendor packages) before `--help` prints.
import { ConfigError } from "../config/errors.js";
import { DataLoadError } from "../data/csvLoader.js";
import { NoRecordingError, ReplayInputError } from "../job/errors.js";
import { DamagedRecordingError } from "../recorder/errors.js";
import { StoreOpenError } from "../store/errors.js";
import { StrategyConfigError } from "../strategies/params.js";

/** Exit codes: 0 success, 1 a failure of the run itself, 2 bad input, 3 `trade --fail-on-halt` found the bot stopped. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_HALTED = 3;

/** An input error the user can fix: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const INPUT_ERRORS = [UsageError, ConfigError, DataLoadError, ReplayInputError, StrategyConfigError, StoreOpenError, NoRecordingError, DamagedRecordingError];

/** Prints an error as one line and returns the exit code it deserves. */
export function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const isInput = INPUT_ERRORS.some((kind) => error instanceof kind);
  process.stderr.write(`tradeguard: ${message.split("\n").map((line) => line.trim()).filter(Boolean).join(" ")}\n`);
  return isInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
}

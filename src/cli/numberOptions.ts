import { UsageError } from "./errors.js";

/**
 * A flag that takes a whole number from `min` to `max`. yargs' own number type turns `abc` into NaN, which then
 * surfaces far from the flag; these flags are strings checked here, so the error names the flag and the text given.
 */
export function wholeNumberOption(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (!/^\s*\d+\s*$/.test(raw) || value < min || value > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** A flag that takes a finite number from `range.min` to `range.max`. */
export function numberOption(raw: string, flag: string, range: { min: number; max: number }, example: string): number {
  const value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new UsageError(`${flag}: expected a number from ${range.min} to ${range.max}, e.g. ${example}, got '${raw}'`);
  }
  return value;
}

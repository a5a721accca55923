import { assertSessionDate } from "../clock/index.js";
import type { SessionDate } from "../clock/index.js";

/** An invalid scenario file: one line naming the file, the path inside it and what was expected. */
export class ScenarioError extends Error {
  override name = "ScenarioError";

  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ""}${problem}`);
  }
}

/** A value inside a scenario file together with where it sits (`injections[2].stale_feed.sessions`). */
export class At {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
  ) {}

  /** The value under `name` of this mapping. */
  key(name: string): At {
    const value = isMapping(this.value) ? this.value[name] : undefined;
    return new At(this.file, this.path ? `${this.path}.${name}` : name, value);
  }

  index(position: number): At {
    return new At(this.file, `${this.path}[${position}]`, Array.isArray(this.value) ? this.value[position] : undefined);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  /** Throws `<file>: <path>: expected <what>, got <value>`. */
  fail(expected: string): never {
    throw new ScenarioError(this.file, this.path, `expected ${expected}, got ${describe(this.value)}`);
  }

  problem(message: string): never {
    throw new ScenarioError(this.file, this.path, message);
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isMapping(value)) return "a mapping";
  return JSON.stringify(value);
}

/** Checks `at` is a mapping whose keys are all in `allowed`; returns its keys. */
export function mapping(at: At, allowed: readonly string[]): string[] {
  if (!isMapping(at.value)) return at.fail(`a mapping with keys ${allowed.join(", ")}`);
  const keys = Object.keys(at.value);
  const unknown = keys.find((key) => !allowed.includes(key));
  if (unknown !== undefined) at.key(unknown).problem(`unknown key; expected one of ${allowed.join(", ")}`);
  return keys;
}

export function list(at: At, what: string): At[] {
  if (!Array.isArray(at.value)) return at.fail(`a list of ${what}`);
  return at.value.map((_, position) => at.index(position));
}

export function text(at: At): string {
  if (typeof at.value !== "string" || at.value.trim() === "") return at.fail("a non-empty string");
  return at.value;
}

export function boolean(at: At): boolean {
  if (typeof at.value !== "boolean") return at.fail("true or false");
  return at.value;
}

export function number(at: At): number {
  if (typeof at.value !== "number" || !Number.isFinite(at.value)) return at.fail("a number");
  return at.value;
}

export function positiveNumber(at: At): number {
  if (typeof at.value !== "number" || !(at.value > 0) || !Number.isFinite(at.value)) return at.fail("a positive number");
  return at.value;
}

export function positiveInteger(at: At): number {
  if (!Number.isInteger(at.value) || (at.value as number) < 1) return at.fail("a positive integer");
  return at.value as number;
}

export function nonNegativeInteger(at: At): number {
  if (!Number.isInteger(at.value) || (at.value as number) < 0) return at.fail("a whole number >= 0");
  return at.value as number;
}

/** A number in [0, 1] (a share, a rate, a drawdown). */
export function fraction(at: At): number {
  if (typeof at.value !== "number" || !(at.value >= 0 && at.value <= 1)) return at.fail("a number from 0 to 1");
  return at.value;
}

export function date(at: At): SessionDate {
  try {
    return assertSessionDate(at.value as string, at.path);
  } catch {
    return at.fail("a date YYYY-MM-DD");
  }
}

export function oneOf<T extends string>(at: At, choices: readonly T[]): T {
  if (!choices.includes(at.value as T)) return at.fail(`one of ${choices.join(", ")}`);
  return at.value as T;
}

/** `reader(at)` when the key is there, else undefined. */
export function optional<T>(at: At, reader: (at: At) => T): T | undefined {
  return at.present ? reader(at) : undefined;
}

/** A string or a number, as seeds are written. */
export function seed(at: At): string | number {
  if (typeof at.value === "number" && Number.isFinite(at.value)) return at.value;
  return text(at);
}

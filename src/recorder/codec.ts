import { createHash } from "node:crypto";

/** How a non-finite number is kept in the recording: plain JSON would turn NaN (a missing bar value) into null. */
interface NonFiniteNumber {
  $number: "NaN" | "Infinity" | "-Infinity";
}

/**
 * The recording's JSON: plain JSON except that NaN and ±Infinity survive the round trip, so a replay reads
 * exactly the values the engine saw. `undefined` (a void answer) is kept as null.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) => (typeof item === "number" && !Number.isFinite(item) ? { $number: String(item) } : item));
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, item: unknown) => (isNonFinite(item) ? Number(item.$number) : item)) as T;
}

function isNonFinite(item: unknown): item is NonFiniteNumber {
  return typeof item === "object" && item !== null && Object.keys(item).length === 1 && typeof (item as NonFiniteNumber).$number === "string";
}

export function sha256(...parts: readonly (string | number | null)[]): string {
  return createHash("sha256").update(parts.map((part) => String(part)).join("\u0000")).digest("hex");
}

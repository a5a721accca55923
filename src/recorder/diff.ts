/** Where two values first differ: a path such as `[0].notional` and both sides' values as JSON. */
export interface FieldDifference {
  path: string;
  recorded: string;
  replayed: string;
}

/** The first field (depth first, in the recorded value's key order) where `replayed` differs from `recorded`; null when equal. */
export function firstDifference(recorded: unknown, replayed: unknown, path = ""): FieldDifference | null {
  if (Object.is(recorded, replayed)) return null;
  if (Array.isArray(recorded) && Array.isArray(replayed)) return firstArrayDifference(recorded, replayed, path);
  if (isRecord(recorded) && isRecord(replayed) && !Array.isArray(recorded) && !Array.isArray(replayed)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(replayed)])];
    for (const key of keys) {
      const difference = firstDifference(recorded[key], replayed[key], path === "" ? key : `${path}.${key}`);
      if (difference) return difference;
    }
    return null;
  }
  return { path: path || "(value)", recorded: show(recorded), replayed: show(replayed) };
}

function firstArrayDifference(recorded: readonly unknown[], replayed: readonly unknown[], path: string): FieldDifference | null {
  for (let i = 0; i < Math.min(recorded.length, replayed.length); i++) {
    const difference = firstDifference(recorded[i], replayed[i], `${path}[${i}]`);
    if (difference) return difference;
  }
  if (recorded.length === replayed.length) return null;
  const i = Math.min(recorded.length, replayed.length);
  return { path: `${path}[${i}]`, recorded: show(recorded[i]), replayed: show(replayed[i]) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A value as it would be printed; a missing one is named, NaN stays NaN. */
function show(value: unknown): string {
  if (value === undefined) return "(none)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

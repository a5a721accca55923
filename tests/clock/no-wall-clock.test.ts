import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = join(ROOT, "src");

/** The one file allowed to read the wall clock. */
const WALL_CLOCK_READER = "src/clock/clocks.ts";

const RULES = [
  { name: "Date.now(", pattern: /Date\.now\(/, allowedIn: [WALL_CLOCK_READER] },
  { name: "new Date()", pattern: /new\s+Date\s*\(\s*\)/, allowedIn: [] },
  { name: "Math.random(", pattern: /Math\.random\(/, allowedIn: [] },
];

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.isFile() && entry.name.endsWith(".ts") ? [path] : [];
  });
}

function violations(): string[] {
  return typeScriptFiles(SRC).flatMap((file) => {
    const path = relative(ROOT, file).split("\\").join("/");
    return readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, index) =>
        RULES.filter((rule) => rule.pattern.test(line) && !rule.allowedIn.includes(path)).map(
          (rule) => `${path}:${index + 1} uses ${rule.name}`,
        ),
      );
  });
}

describe("no wall clock or unseeded randomness in src/", () => {
  it("finds no wall-clock reads or Math.random outside the system clock", () => {
    expect(violations()).toEqual([]);
  });
});

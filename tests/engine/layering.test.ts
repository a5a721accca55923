import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Every import specifier of every .ts file under src/, as `src/folder/file.ts → specifier`. */
function imports(): { file: string; from: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path) : entry.name.endsWith(".ts") ? [path] : [];
    });
  return walk(join(ROOT, "src")).flatMap((path) => {
    const file = relative(ROOT, path).split("\\").join("/");
    return [...readFileSync(path, "utf8").matchAll(/from\s+"([^"]+)"/g)].map((match) => ({ file, from: match[1] }));
  });
}

/** Imports from files under `folder` whose specifier matches `banned`. */
function offending(folder: string, banned: RegExp): string[] {
  return imports()
    .filter(({ file, from }) => file.startsWith(`src/${folder}/`) && banned.test(from))
    .map(({ file, from }) => `${file} imports ${from}`);
}

describe("dependencies point inward", () => {
  it("keeps safety rules free of stores, brokers, files and the engine", () => {
    expect(offending("safety", /\/(store|broker|engine|report|job|cli)\/|^node:fs|better-sqlite3/)).toEqual([]);
  });

  it("keeps the engine free of reports, jobs, the CLI and any vendor", () => {
    expect(offending("engine", /\/(report|job|cli|scenario|sandbox)\/|broker\/alpaca|@alpacahq|better-sqlite3/)).toEqual([]);
  });

  it("keeps the store free of the broker port", () => {
    expect(offending("store", /\/broker\//)).toEqual([]);
  });

  it("imports the Alpaca SDK only in src/broker/alpaca/", () => {
    const users = imports().filter(({ from }) => from.startsWith("@alpacahq/")).map(({ file }) => file);
    expect(users.length).toBeGreaterThan(0);
    expect(users.filter((file) => !file.startsWith("src/broker/alpaca/"))).toEqual([]);
  });
});

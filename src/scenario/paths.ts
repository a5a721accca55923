import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { ScenarioError } from "./walker.js";

const SCENARIO_FILE = /\.(ya?ml|json)$/i;
const GLOB_CHARS = /[*?[]/;

/**
 * Scenario files named by paths, folders (their scenario files, not sub-folders) and globs (`*`, `?`, `**`),
 * relative to `cwd`, sorted and without repeats. A name that matches nothing is an input error.
 */
export function expandScenarioPaths(patterns: readonly string[], cwd: string): string[] {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matches = GLOB_CHARS.test(pattern) ? globFiles(pattern, cwd) : namedFiles(pattern, cwd);
    if (matches.length === 0) throw new ScenarioError(pattern, "", "no scenario file (.yaml, .yml, .json) matches");
    for (const file of matches) files.add(file);
  }
  return [...files].sort();
}

function namedFiles(path: string, cwd: string): string[] {
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [display(absolute, cwd)];
  return readdirSync(absolute)
    .filter((name) => SCENARIO_FILE.test(name) && statSync(join(absolute, name)).isFile())
    .map((name) => display(join(absolute, name), cwd));
}

function globFiles(pattern: string, cwd: string): string[] {
  const parts = pattern.split(/[\\/]/);
  const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
  const base = resolve(cwd, parts.slice(0, firstGlob).join("/") || ".");
  const matcher = globToRegExp(parts.slice(firstGlob).join("/"));
  return walk(base)
    .filter((file) => SCENARIO_FILE.test(file) && matcher.test(relative(base, file).split(sep).join("/")))
    .map((file) => display(file, cwd));
}

/** `**` spans folders, `*` and `?` stay within one, `[abc]` is a character class. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const end = glob.indexOf("]", i);
      source += end > i ? glob.slice(i, end + 1) : "\\[";
      i = end > i ? end : i;
    } else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function walk(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

function display(absolute: string, cwd: string): string {
  const path = relative(cwd, absolute);
  return path.startsWith("..") ? absolute : path.split(sep).join("/");
}

/** `--shard i/n`: 1-based shard i of n. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new ScenarioError("--shard", "", `expected i/n with 1 <= i <= n (e.g. 2/3), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** Shard i of n of the sorted files: every n-th file starting at the i-th, the same split on every machine. */
export function shardOf(files: readonly string[], shard: Shard): string[] {
  return [...files].sort().filter((_, position) => position % shard.count === shard.index - 1);
}

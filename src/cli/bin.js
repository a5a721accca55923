#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the `prepare` script) when it is at least as new as
// every source file, so start-up does not compile TypeScript. A clone without a build, or a source edited after
// the build, runs the TypeScript through tsx's loader instead: slower to start, never stale.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const sourceDir = fileURLToPath(new URL("..", import.meta.url));
const compiledEntry = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const buildStamp = fileURLToPath(new URL("../../dist/.build-stamp", import.meta.url));

/** Newest modification time of any file under `dir`, in ms. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  if (!existsSync(compiledEntry) || !existsSync(buildStamp)) return false;
  return statSync(buildStamp).mtimeMs >= newestMtime(sourceDir);
}

let cli;
if (compiledIsFresh()) {
  cli = await import(new URL("../../dist/cli/main.js", import.meta.url).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("./main.ts");
}
await cli.runAsProcess();

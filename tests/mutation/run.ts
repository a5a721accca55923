/**
 * `npm run mutate [-- stryker options]`: runs Stryker with this folder's config (forwarding any options, such
 * as `--mutate 'src/safety/**\/*.ts'` or `--concurrency 1`), then checks each folder's score against its target.
 */
import { spawnSync } from "node:child_process";
import { foldersOf, scoreReport } from "./folderScores.js";

const stryker = spawnSync("npx", ["stryker", "run", "tests/mutation/stryker.config.mjs", ...process.argv.slice(2)], { stdio: "inherit" });
process.exitCode = stryker.status !== 0 ? (stryker.status ?? 1) : scoreReport("reports/mutation/mutation.json", foldersOf(process.argv.slice(2)));

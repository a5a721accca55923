// Mutation testing of the safety core: `npm run mutate` (never part of `npm test`).
// Paths are relative to the repository root, where npm runs the script.
// Narrow a local run with e.g. `npm run mutate -- --mutate 'src/safety/**/*.ts'`.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "tests/mutation/vitest.config.ts" },
  checkers: ["typescript"],
  tsconfigFile: "tests/mutation/tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: ["src/safety/**/*.ts", "src/engine/stages/**/*.ts", "src/portfolio/**/*.ts", "!src/**/index.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  // The sandbox (a copy of the repository) lives under reports/, which git ignores and `npm test` excludes, so
  // its copies of the tests never run there; inside the repository it resolves node_modules as the original does.
  tempDirName: "reports/mutation/.stryker-tmp",
  ignorePatterns: ["reports", ".ci", ".github"],
  timeoutMS: 60_000,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // The per-folder targets (safety 90 %, engine stages 80 %) are checked by tests/mutation/folderScores.ts.
  thresholds: { high: 90, low: 80, break: null },
};

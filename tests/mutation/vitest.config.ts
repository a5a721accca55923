import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The tests Stryker runs against each mutant: the unit tests of the mutated folders and the engine's
 * whole-pipeline tests. `TG_MUTATION_TESTS` narrows the set for a quick local run of one folder
 * (`unit` = tests/safety and tests/portfolio only; `stages` = tests/engine/stages, the stage tests and every
 * shipped scenario as its own test, ~25 s in all); unset, the whole set runs, as in CI.
 */
const SETS: Record<string, string[]> = {
  unit: ["tests/safety/**/*.test.ts", "tests/portfolio/**/*.test.ts"],
  stages: ["tests/engine/stages/**/*.test.ts"],
  all: ["tests/safety/**/*.test.ts", "tests/portfolio/**/*.test.ts", "tests/engine/**/*.test.ts"],
};

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: SETS[process.env.TG_MUTATION_TESTS ?? "all"] ?? SETS.all,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});

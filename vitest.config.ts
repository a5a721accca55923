import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Replays of twenty years of history run for seconds; no test asserts on time.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});

import { describe, expect, it } from "vitest";
import { folderScore, foldersOf } from "./folderScores.js";

const mutants = (...statuses: string[]) => ({ mutants: statuses.map((status) => ({ status })) });

describe("per-folder mutation scores", () => {
  it("counts killed and timed-out mutants as detected, survivors and uncovered ones as not, and leaves the rest out", () => {
    const report = {
      files: {
        "src/safety/a.ts": mutants("Killed", "Killed", "Timeout", "Survived", "CompileError", "Ignored"),
        "src/safety/b.ts": mutants("NoCoverage"),
        "src/engine/stages/c.ts": mutants("Killed"),
      },
    };

    expect(folderScore(report, "src/safety/")).toEqual({ folder: "src/safety/", detected: 3, undetected: 2, ignored: 1, score: 60 });
    expect(folderScore(report, "src/engine/stages/").score).toBe(100);
  });

  it("has no score for a folder the run did not mutate", () => {
    expect(folderScore({ files: {} }, "src/portfolio/").score).toBeNull();
  });

  it("judges only the folders a narrowed run mutated", () => {
    expect(foldersOf(["--concurrency", "2"])).toEqual(["src/safety/", "src/engine/stages/", "src/portfolio/"]);
    expect(foldersOf(["--mutate", "src/safety/**/*.ts,!src/safety/index.ts,src/portfolio/**/*.ts", "--concurrency", "2"])).toEqual(["src/safety/", "src/portfolio/"]);
    expect(foldersOf(["--mutate=src/engine/stages/**/*.ts"])).toEqual(["src/engine/stages/"]);
    expect(foldersOf(["--mutate", "src/**/*.ts"])).toEqual(["src/safety/", "src/engine/stages/", "src/portfolio/"]);
  });
});

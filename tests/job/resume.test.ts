import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spxReplay, tempDir } from "../engine/fixtures.js";

const withoutRunIds = (text: string) => text.replace(/run-[0-9a-f]{12}/g, "RUN").replace(/\.[0-9a-f]{16}@tradeguard/g, "@tradeguard");

describe("continuing a run on the same store", () => {
  it("picks up after the last persisted session, with the broker as it was left, and ends where one uninterrupted run ends", async () => {
    const db = join(tempDir("resume-db"), "bot.db");
    const first = await spxReplay({ from: "2007-01-03", to: "2008-09-30", outDir: tempDir("resume-a"), dbPath: db });
    await first.run();
    await first.close();
    const resumedOut = tempDir("resume-b");
    const second = await spxReplay({ from: "2007-01-03", to: "2009-12-31", outDir: resumedOut, dbPath: db });
    const { result } = await second.run();
    await second.close();
    expect(result.resumedAfter).toBe("2008-09-30");
    expect(result.firstSession).toBe("2008-10-01");

    const straightOut = tempDir("resume-c");
    const straight = await spxReplay({ from: "2007-01-03", to: "2009-12-31", outDir: straightOut });
    await straight.run();
    await straight.close();
    for (const file of ["timeline.csv", "events.jsonl"]) {
      expect(withoutRunIds(readFileSync(join(resumedOut, file), "utf8"))).toBe(withoutRunIds(readFileSync(join(straightOut, file), "utf8")));
    }
  });
});

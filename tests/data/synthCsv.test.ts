import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { loadBarsCsv, synthUniverse, writeBarsCsv } from "../../src/data/index.js";

describe("a synthetic universe file", () => {
  it("holds the asked symbols and sessions and loads back to the same bars", async () => {
    const bars = synthUniverse({ symbols: 3, sessions: 40, seed: 7, calendar: nyseCalendar });
    const path = join(mkdtempSync(join(tmpdir(), "tradeguard-synth-")), "universe.csv");

    const rows = await writeBarsCsv(bars, path);
    const loaded = await loadBarsCsv({ files: [path], calendar: nyseCalendar });

    expect(rows).toBe(120);
    expect(loaded.symbols).toEqual(["SYN000", "SYN001", "SYN002"]);
    expect(loaded.sessions).toEqual(bars.sessions);
    for (const symbol of bars.symbols) {
      expect([...loaded.series(symbol).close]).toEqual([...bars.series(symbol).close]);
      expect([...loaded.series(symbol).volume]).toEqual([...bars.series(symbol).volume]);
    }
  });

  it("is the same file for the same seed", () => {
    const first = synthUniverse({ symbols: 2, sessions: 10, seed: 7, calendar: nyseCalendar });
    const second = synthUniverse({ symbols: 2, sessions: 10, seed: 7, calendar: nyseCalendar });

    expect([...second.series("SYN001").close]).toEqual([...first.series("SYN001").close]);
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";

const SP500_CSV = fileURLToPath(new URL("../../node_modules/vega-datasets/data/sp500-2000.csv", import.meta.url));
const MISMATCHES_SHOWN = 10;

function tradedDates(): string[] {
  const [, ...rows] = readFileSync(SP500_CSV, "utf8").trim().split(/\r?\n/);
  return rows.map((row) => row.split(",")[0]);
}

describe("nyseCalendar against real S&P 500 trading days 2000-01-03..2020-04-17", () => {
  const traded = tradedDates();
  const first = traded[0];
  const last = traded[traded.length - 1];

  it("covers the expected span of the file", () => {
    expect([first, last]).toEqual(["2000-01-03", "2020-04-17"]);
  });

  it("counts every traded date as a session", () => {
    const notSessions = traded.filter((date) => !nyseCalendar.isSession(date));

    expect(notSessions.slice(0, MISMATCHES_SHOWN), `${notSessions.length} traded dates are not sessions`).toEqual([]);
  });

  it("has a traded date for every session", () => {
    const tradedSet = new Set(traded);

    const untraded = nyseCalendar.sessionsBetween(first, last).filter((date) => !tradedSet.has(date));

    expect(untraded.slice(0, MISMATCHES_SHOWN), `${untraded.length} sessions have no traded date`).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { DataLoadError, loadBarsCsv } from "../../src/data/index.js";
import { runMain } from "../cli/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "tg-csv-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SESSIONS = nyseCalendar.sessionsBetween("2020-01-02", "2020-03-31");
const HEADERS = ["date,open,high,low,close,volume", "Date,Open,High,Low,Close,Volume", "date,open,high,low,close,adjclose,volume", "date,open,high,low,close", "close,date,volume,low,high,open", ""];

/**
 * A cell as hostile files hold them: numbers of every size, missing values and garbage. `clean` is the weight of
 * an ordinary price against one of each kind of trouble, so a low weight mostly finds load errors and a high one
 * mostly reaches the replay with a few bad values inside.
 */
const cell = (clean: number) =>
  fc.oneof(
    { weight: clean, arbitrary: fc.double({ min: 50, max: 150, noNaN: true }).map((price) => price.toFixed(2)) },
    { weight: 2, arbitrary: fc.constantFrom("", "NaN", "nan", "-1", "0", "1e-300", "1e308", "-1e308", "1e400", "99999999999") },
    { weight: 1, arbitrary: fc.constantFrom("Infinity", "1,5", "abc", '"100"', " 100 ", "0x10") },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );

const date = (index: number, clean: number) =>
  fc.oneof(
    { weight: clean, arbitrary: fc.constant(SESSIONS[index % SESSIONS.length]) },
    { weight: 1, arbitrary: fc.constantFrom("2020/01/02", "01/02/2020", "20200102", "2020-01-04", "2020-02-30", "1985-01-02", "2051-01-03", "") },
    { weight: 1, arbitrary: fc.constantFrom(...SESSIONS) },
  );

/** One row: the right cells, or a truncated or extended line. */
const row = (index: number, clean: number) =>
  fc
    .tuple(date(index, clean), fc.array(cell(clean), { minLength: 5, maxLength: 5 }), fc.oneof({ weight: clean, arbitrary: fc.constant("keep") }, fc.constantFrom("truncate", "extra")))
    .map(([day, cells, shape]) => {
      const line = [day, ...cells].join(",");
      if (shape === "truncate") return line.slice(0, Math.max(0, line.length - 7));
      return shape === "extra" ? `${line},extra` : line;
    });

/** A whole file: header, rows (two maybe swapped), optional BOM, CRLF line ends or a missing final newline. */
const csvText = (clean: number) =>
  fc
  .record({
    header: fc.oneof({ weight: clean, arbitrary: fc.constant(HEADERS[0]) }, fc.constantFrom(...HEADERS)),
    rows: fc.integer({ min: 0, max: 40 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => row(i, clean)))),
    swap: fc.oneof({ weight: clean, arbitrary: fc.constant(null) }, fc.tuple(fc.nat(), fc.nat())),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ header, rows, swap, bom, crlf, finalNewline }) => {
    const lines = [...rows];
    if (swap && lines.length > 1) {
      const [a, b] = [swap[0] % lines.length, swap[1] % lines.length];
      [lines[a], lines[b]] = [lines[b], lines[a]];
    }
    const text = [header, ...lines].join(crlf ? "\r\n" : "\n") + (finalNewline ? "\n" : "");
    return (bom ? "\uFEFF" : "") + text;
  });

let fileCount = 0;
function writeCsv(text: string): string {
  const path = join(dir, `case-${++fileCount}.csv`);
  writeFileSync(path, text);
  return path;
}

describe("loadBarsCsv on hostile files", () => {
  it("loads a file or rejects it with one DataLoadError line naming the file", async () => {
    await fc.assert(
      fc.asyncProperty(csvText(6), async (text) => {
        const path = writeCsv(text);
        try {
          await loadBarsCsv({ files: [path], symbol: "X", calendar: nyseCalendar });
        } catch (error) {
          expect(error).toBeInstanceOf(DataLoadError);
          const message = (error as Error).message;
          expect(message.startsWith(path)).toBe(true);
          expect(message).not.toContain("\n");
        }
      }),
      { seed: 5150, numRuns: 150 },
    );
  });

  it("replays a file that loads, or exits 2 with one line: never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(csvText(400), async (text) => {
        const path = writeCsv(text);
        // A short history requirement, so the bad values reach marks, orders and fills too.
        const settings = ["--set", "MIN_HISTORY_DAYS=3", "--capital", "1000"];
        const result = await runMain(["run", "--data", path, "--symbol", "X", "--strategy", "sma_cross:fast=2:slow=3", ...settings, "--out", join(dir, `run-${fileCount}`), "--quiet"]);
        expect([0, 2]).toContain(result.status);
        if (result.status === 2) expect(result.stderr.trim().split("\n")).toHaveLength(1);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }),
      { seed: 5151, numRuns: 15 },
    );
  });
});

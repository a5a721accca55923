import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { DataLoadError, loadBarsCsv, type LoadBarsCsvOptions } from "../../src/data/index.js";

const SP500_CSV = fileURLToPath(new URL("../../data/sp500-2000.csv", import.meta.url));
const HEADER = "date,open,high,low,close,volume";
const tempDir = mkdtempSync(join(tmpdir(), "tradeguard-data-"));

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

function writeCsv(name: string, lines: string[]): string {
  const path = join(tempDir, name);
  writeFileSync(path, lines.join("\n"));
  return path;
}

function load(files: string[], extra: Partial<LoadBarsCsvOptions> = {}) {
  return loadBarsCsv({ files, calendar: nyseCalendar, ...extra });
}

async function loadError(files: string[], extra: Partial<LoadBarsCsvOptions> = {}): Promise<DataLoadError> {
  try {
    await load(files, extra);
  } catch (error) {
    if (error instanceof DataLoadError) return error;
    throw error;
  }
  throw new Error("expected a DataLoadError");
}

describe("loadBarsCsv on the real S&P 500 file", () => {
  const loading = load([SP500_CSV], { symbol: "SPX" });

  it("loads one bar per data row on an axis from the first to the last date", async () => {
    const store = await loading;

    expect(store.symbols).toEqual(["SPX"]);
    expect(store.sessions.length).toBe(5105);
    expect([store.sessions[0], store.sessions.at(-1)]).toEqual(["2000-01-03", "2020-04-17"]);
    expect(store.series("SPX").present.every((flag) => flag === 1)).toBe(true);
  });

  it("reads the values of a row exactly as written in the file", async () => {
    const store = await loading;
    const bars = store.series("SPX");
    const index = store.indexOf("2008-10-15");

    expect([bars.open[index], bars.high[index], bars.low[index], bars.close[index], bars.volume[index]]).toEqual([
      994.599976, 994.599976, 903.98999, 907.840027, 6542330000,
    ]);
    expect(bars.close[store.indexOf("2020-03-16")]).toBe(2386.129883);
    expect(bars.volume[store.indexOf("2020-04-17")]).toBe(5792140000);
  });
});

describe("loadBarsCsv on well-formed small files", () => {
  it("accepts a header in any case and ignores extra columns", async () => {
    const file = writeCsv("mixed-case.csv", ["Date,Open,High,Low,Close,AdjClose,Volume", "2020-01-02,1,3,0.5,2,9,100"]);

    const bars = (await load([file], { symbol: "X" })).series("X");

    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([1, 3, 0.5, 2, 100]);
  });

  it("reads a long-format file with several symbols onto one shared axis", async () => {
    const file = writeCsv("long.csv", [
      `symbol,${HEADER}`,
      "AAA,2020-01-02,1,1,1,1,10",
      "BBB,2020-01-06,5,5,5,5,50",
      "AAA,2020-01-03,2,2,2,2,20",
      "AAA,2020-01-07,3,3,3,3,30",
    ]);

    const store = await load([file]);

    expect(store.sessions).toEqual(["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"]);
    expect(Array.from(store.series("AAA").present)).toEqual([1, 1, 0, 1]);
    expect(Array.from(store.series("BBB").present)).toEqual([0, 0, 1, 0]);
    expect(store.series("AAA").close[2]).toBeNaN();
    expect(store.series("BBB").close[2]).toBe(5);
  });

  it("merges files holding different symbols, using --symbol for the file without a symbol column", async () => {
    const single = writeCsv("single.csv", [HEADER, "2020-01-03,1,1,1,1,10"]);
    const long = writeCsv("long-one.csv", [`${HEADER},symbol`, "2020-01-06,2,2,2,2,20,BBB"]);

    const store = await load([single, long], { symbol: "AAA" });

    expect(store.symbols).toEqual(["AAA", "BBB"]);
    expect(store.sessions).toEqual(["2020-01-03", "2020-01-06"]);
  });

  it("extends the axis to `to` with absent bars so a replay can run past the data", async () => {
    const file = writeCsv("short.csv", [HEADER, "2020-01-02,1,1,1,1,10", "2020-01-03,1,1,1,1,10"]);

    const store = await load([file], { symbol: "X", to: "2020-01-08" });

    expect(store.sessions).toEqual(["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07", "2020-01-08"]);
    expect(Array.from(store.series("X").present)).toEqual([1, 1, 0, 0, 0]);
  });

  it("keeps the axis at the last bar when `to` is earlier", async () => {
    const file = writeCsv("short-early-to.csv", [HEADER, "2020-01-02,1,1,1,1,10", "2020-01-03,1,1,1,1,10"]);

    const store = await load([file], { symbol: "X", to: "2020-01-02" });

    expect(store.sessions).toEqual(["2020-01-02", "2020-01-03"]);
  });

  it("keeps NaN, nan and empty cells as NaN on a present bar", async () => {
    const file = writeCsv("gaps.csv", [HEADER, "2020-01-02,NaN,nan,,1,10"]);

    const bars = (await load([file], { symbol: "X" })).series("X");

    expect([bars.open[0], bars.high[0], bars.low[0]]).toEqual([NaN, NaN, NaN]);
    expect(bars.present[0]).toBe(1);
  });

  it("keeps negative prices and huge spikes as written, for the quality checker to judge", async () => {
    const file = writeCsv("bad-values.csv", [HEADER, "2020-01-02,10,10,10,10,5", "2020-01-03,-1,100,-1,95,5"]);

    const bars = (await load([file], { symbol: "X" })).series("X");

    expect(Array.from(bars.close)).toEqual([10, 95]);
    expect(bars.open[1]).toBe(-1);
  });

  it("skips blank lines and still reports the right line numbers", async () => {
    const file = writeCsv("blank-lines.csv", [HEADER, "2020-01-02,1,1,1,1,10", "", "2020-01-03,1,1,1,oops,10", ""]);

    const error = await loadError([file], { symbol: "X" });

    expect(error.message).toBe(`${file}:4 column 'close': 'oops' is not a number; use a decimal number, or leave the cell empty if unknown`);
  });

  it("reads files with Windows line endings", async () => {
    const path = join(tempDir, "crlf.csv");
    writeFileSync(path, `${HEADER}\r\n2020-01-02,1,1,1,1,10\r\n`);

    const store = await load([path], { symbol: "X" });

    expect(store.series("X").volume[0]).toBe(10);
  });
});

describe("loadBarsCsv errors", () => {
  const row = "2020-01-02,1,1,1,1,10";
  const cases: { title: string; lines: string[]; message: (file: string) => string }[] = [
    {
      title: "names a missing column and shows the header",
      lines: ["date,open,high,low,volume", "2020-01-02,1,1,1,10"],
      message: (file) => `${file}: missing column 'close' (header has: date,open,high,low,volume)`,
    },
    {
      title: "rejects a date that is not YYYY-MM-DD",
      lines: [HEADER, row, "2020-13-01,1,1,1,1,10"],
      message: (file) => `${file}:3 column 'date': '2020-13-01' is not a date YYYY-MM-DD`,
    },
    {
      title: "rejects dates out of order for a symbol",
      lines: [HEADER, "2020-01-06,1,1,1,1,10", "2020-01-03,1,1,1,1,10"],
      message: (file) => `${file}:3 column 'date': 2020-01-03 comes after 2020-01-06 for X; sort the file by date`,
    },
    {
      title: "rejects a duplicate date for a symbol",
      lines: [HEADER, row, row],
      message: (file) => `${file}:3 column 'date': 2020-01-02 appears twice for X (also line 2); remove the duplicate row`,
    },
    {
      title: "rejects a value that is not a number",
      lines: [HEADER, "2020-01-02,1,1,1,abc,10"],
      message: (file) =>
        `${file}:2 column 'close': 'abc' is not a number; use a decimal number, or leave the cell empty if unknown`,
    },
    {
      title: "rejects a date on which the exchange did not trade",
      lines: [HEADER, "2020-01-04,1,1,1,1,10"],
      message: (file) =>
        `${file}:2 column 'date': 2020-01-04 is not a NYSE session (weekend or holiday); remove the row or fix the date`,
    },
    {
      title: "rejects a row with a different number of fields than the header",
      lines: [HEADER, row, "2020-01-03,1,1,1,1"],
      message: (file) => `${file}:3: 5 fields but the header has 6; fix the row`,
    },
    {
      title: "rejects a file with a header but no rows",
      lines: [HEADER],
      message: (file) => `${file}: no data rows below the header; add daily bars`,
    },
    {
      title: "rejects an empty file",
      lines: [],
      message: (file) => `${file}: file is empty; expected a header line date,open,high,low,close,volume`,
    },
  ];

  it.each(cases)("$title", async ({ title, lines, message }) => {
    const file = writeCsv(`${title.replaceAll(" ", "-")}.csv`, lines);

    const error = await loadError([file], { symbol: "X" });

    expect(error.message).toBe(message(file));
  });

  it("asks for --symbol when the file has no symbol column", async () => {
    const file = writeCsv("no-symbol.csv", [HEADER, row]);

    const error = await loadError([file]);

    expect(error.message).toBe(`${file}: no 'symbol' column and no --symbol given; pass --symbol NAME or add a symbol column`);
  });

  it("rejects a row with an empty symbol", async () => {
    const file = writeCsv("empty-symbol.csv", [`symbol,${HEADER}`, `,${row}`]);

    const error = await loadError([file]);

    expect(error.message).toBe(`${file}:2 column 'symbol': empty; every row needs a symbol`);
  });

  it("rejects a date outside the calendar's range", async () => {
    const file = writeCsv("too-old.csv", [HEADER, "1985-01-02,1,1,1,1,10"]);

    const error = await loadError([file], { symbol: "X" });

    expect(error.message).toContain(`${file}:2 column 'date': 1985-01-02 cannot be checked against the NYSE calendar`);
  });

  it("rejects the same symbol in two files", async () => {
    const first = writeCsv("twice-a.csv", [HEADER, row]);
    const second = writeCsv("twice-b.csv", [`symbol,${HEADER}`, `X,${row}`]);

    const error = await loadError([first, second], { symbol: "X" });

    expect(error.message).toBe(`${second}: symbol X is also in ${first}; load each symbol from one file`);
  });

  it("asks for a file when none is given", async () => {
    const error = await loadError([]);

    expect(error.message).toBe("no data files given; pass at least one CSV file");
  });

  it("names a missing file", async () => {
    const file = join(tempDir, "does-not-exist.csv");

    const error = await loadError([file], { symbol: "X" });

    expect(error.message).toBe(`${file}: file not found; check the path`);
  });
});

describe("loadBarsCsv on files from other tools", () => {
  it("loads a file with a byte-order mark and CRLF line ends", async () => {
    const path = join(tempDir, "excel.csv");
    writeFileSync(path, `\uFEFF${HEADER}\r\n2020-01-02,1,2,0.5,1.5,10\r\n2020-01-03,1,2,0.5,1.6,10\r\n`);

    const store = await load([path], { symbol: "X" });

    expect(Array.from(store.series("X").close)).toEqual([1.5, 1.6]);
  });

  it("names a missing column without the byte-order mark", async () => {
    const path = join(tempDir, "excel-short.csv");
    writeFileSync(path, "\uFEFFdate,open,high,low,close\r\n2020-01-02,1,2,0.5,1.5\r\n");

    expect((await loadError([path], { symbol: "X" })).message).toBe(`${path}: missing column 'volume' (header has: date,open,high,low,close)`);
  });
});

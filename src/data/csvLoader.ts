import { access } from "node:fs/promises";
import { assertSessionDate } from "../clock/index.js";
import type { SessionDate, TradingCalendar } from "../clock/index.js";
import { BAR_FIELDS, BarStore, type BarField, type SymbolBars } from "./barStore.js";

/** A CSV file that cannot be loaded; the message names the file, line and column, and the fix. */
export class DataLoadError extends Error {
  override name = "DataLoadError";
}

export interface LoadBarsCsvOptions {
  readonly files: readonly string[];
  /** Symbol for the rows of files that have no `symbol` column (the CLI's `--symbol NAME`). */
  readonly symbol?: string;
  readonly calendar: TradingCalendar;
  /** Extends the session axis past the last bar, e.g. to the end of a replay window. */
  readonly to?: SessionDate;
}

interface Columns {
  readonly width: number;
  readonly date: number;
  readonly symbol: number;
  readonly fields: Record<BarField, number>;
}

/** One symbol's rows as read, in file order. */
interface SymbolRows {
  readonly file: string;
  readonly dates: SessionDate[];
  readonly lines: number[];
  readonly values: Record<BarField, number[]>;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MISSING_VALUE = /^(nan)?$/i;
// Raw strings, one array per line, blank lines kept so row index + 1 is the line number.
// Cast because danfo's typings drop papaparse's options when @types/papaparse is absent.
const RAW_CELLS = { header: false, dynamicTyping: false, skipEmptyLines: false } as object;

/** Loads daily OHLCV CSV files into one BarStore aligned to `calendar` sessions; throws DataLoadError on bad input. */
export async function loadBarsCsv(options: LoadBarsCsvOptions): Promise<BarStore> {
  if (options.files.length === 0) throw new DataLoadError("no data files given; pass at least one CSV file");
  const bySymbol = new Map<string, SymbolRows>();
  for (const file of options.files) {
    for (const [symbol, rows] of await readSymbols(file, options)) {
      const earlier = bySymbol.get(symbol);
      if (earlier) throw new DataLoadError(`${file}: symbol ${symbol} is also in ${earlier.file}; load each symbol from one file`);
      bySymbol.set(symbol, rows);
    }
  }
  return buildStore(bySymbol, options);
}

async function readSymbols(file: string, options: LoadBarsCsvOptions): Promise<Map<string, SymbolRows>> {
  const table = await readTable(file);
  const columns = locateColumns(file, table[0], options.symbol);
  const bySymbol = new Map<string, SymbolRows>();
  for (let index = 1; index < table.length; index++) {
    if (isBlank(table[index])) continue;
    readRow(file, table[index], index + 1, columns, options, bySymbol);
  }
  if (bySymbol.size === 0) throw new DataLoadError(`${file}: no data rows below the header; add daily bars`);
  return bySymbol;
}

/** The file's cells as raw strings, header first; danfo (papaparse) is the parser of record. */
async function readTable(file: string): Promise<string[][]> {
  try {
    await access(file);
  } catch {
    throw new DataLoadError(`${file}: file not found; check the path`);
  }
  // Imported lazily: danfo takes over a second to load and only CSV loading needs it.
  const dfd = await import("danfojs-node");
  try {
    const frame = await dfd.readCSV(file, RAW_CELLS);
    const table = (frame.values as unknown[][]).map((row) => row.map(String));
    // A byte-order mark (Excel's UTF-8 export) is not part of the first column's name.
    if (table[0]?.[0] !== undefined) table[0][0] = table[0][0].replace(/^\uFEFF/, "");
    return table;
  } catch (error) {
    const reason = (error as Error).message;
    if (reason.includes("No data found")) {
      throw new DataLoadError(`${file}: file is empty; expected a header line date,open,high,low,close,volume`);
    }
    throw new DataLoadError(`${file}: not a readable CSV file (${reason})`);
  }
}

function locateColumns(file: string, header: readonly string[], symbolOption: string | undefined): Columns {
  const names = header.map((name) => name.trim().toLowerCase());
  const find = (name: string): number => {
    const index = names.indexOf(name);
    if (index < 0) throw new DataLoadError(`${file}: missing column '${name}' (header has: ${header.join(",")})`);
    return index;
  };
  const symbol = names.indexOf("symbol");
  if (symbol < 0 && symbolOption === undefined) {
    throw new DataLoadError(`${file}: no 'symbol' column and no --symbol given; pass --symbol NAME or add a symbol column`);
  }
  const fields = Object.fromEntries(BAR_FIELDS.map((field) => [field, find(field)])) as Record<BarField, number>;
  return { width: header.length, date: find("date"), symbol, fields };
}

function readRow(
  file: string,
  cells: readonly string[],
  line: number,
  columns: Columns,
  options: LoadBarsCsvOptions,
  bySymbol: Map<string, SymbolRows>,
): void {
  if (cells.length !== columns.width) {
    throw new DataLoadError(`${file}:${line}: ${cells.length} fields but the header has ${columns.width}; fix the row`);
  }
  const symbol = columns.symbol < 0 ? (options.symbol as string) : cells[columns.symbol].trim();
  if (!symbol) throw cellError(file, line, "symbol", "empty; every row needs a symbol");
  const date = readDate(file, line, cells[columns.date], options.calendar);
  let rows = bySymbol.get(symbol);
  if (!rows) {
    rows = { file, dates: [], lines: [], values: emptyValues() };
    bySymbol.set(symbol, rows);
  }
  checkOrder(file, line, symbol, date, rows);
  rows.dates.push(date);
  rows.lines.push(line);
  for (const field of BAR_FIELDS) rows.values[field].push(readNumber(file, line, field, cells[columns.fields[field]]));
}

function readDate(file: string, line: number, cell: string, calendar: TradingCalendar): SessionDate {
  const text = cell.trim();
  try {
    assertSessionDate(text, "date");
  } catch {
    throw cellError(file, line, "date", `'${text}' is not a date YYYY-MM-DD`);
  }
  let session: boolean;
  try {
    session = calendar.isSession(text);
  } catch (error) {
    throw cellError(file, line, "date", `${text} cannot be checked against the ${calendar.name} calendar (${(error as Error).message})`);
  }
  if (!session) {
    throw cellError(file, line, "date", `${text} is not a ${calendar.name} session (weekend or holiday); remove the row or fix the date`);
  }
  return text;
}

function checkOrder(file: string, line: number, symbol: string, date: SessionDate, rows: SymbolRows): void {
  const last = rows.dates.length - 1;
  if (last < 0 || date > rows.dates[last]) return;
  if (date === rows.dates[last]) {
    throw cellError(file, line, "date", `${date} appears twice for ${symbol} (also line ${rows.lines[last]}); remove the duplicate row`);
  }
  throw cellError(file, line, "date", `${date} comes after ${rows.dates[last]} for ${symbol}; sort the file by date`);
}

/** Missing values (empty cell, NaN) load as NaN: they are bad data for the quality checker, not a load error. */
function readNumber(file: string, line: number, field: BarField, cell: string): number {
  const text = cell.trim();
  if (MISSING_VALUE.test(text)) return Number.NaN;
  if (!DECIMAL.test(text)) {
    throw cellError(file, line, field, `'${text}' is not a number; use a decimal number, or leave the cell empty if unknown`);
  }
  return Number(text);
}

function buildStore(bySymbol: Map<string, SymbolRows>, options: LoadBarsCsvOptions): BarStore {
  const all = [...bySymbol.values()];
  const first = all.map((rows) => rows.dates[0]).reduce((a, b) => (b < a ? b : a));
  const lastBar = all.map((rows) => rows.dates[rows.dates.length - 1]).reduce((a, b) => (b > a ? b : a));
  const to = options.to === undefined ? lastBar : assertSessionDate(options.to, "loadBarsCsv to");
  const sessions = options.calendar.sessionsBetween(first, to > lastBar ? to : lastBar);
  const indexByDate = new Map(sessions.map((date, index) => [date, index]));
  const series = [...bySymbol].map(([symbol, rows]) => alignRows(symbol, rows, indexByDate, sessions.length));
  return new BarStore(sessions, series);
}

function alignRows(symbol: string, rows: SymbolRows, indexByDate: Map<SessionDate, number>, length: number): SymbolBars {
  const bars = BarStore.emptySeries(symbol, length);
  rows.dates.forEach((date, row) => {
    const index = indexByDate.get(date) as number;
    for (const field of BAR_FIELDS) bars[field][index] = rows.values[field][row];
    bars.present[index] = 1;
  });
  return bars;
}

function emptyValues(): Record<BarField, number[]> {
  return { open: [], high: [], low: [], close: [], volume: [] };
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}

function cellError(file: string, line: number, column: string, problem: string): DataLoadError {
  return new DataLoadError(`${file}:${line} column '${column}': ${problem}`);
}

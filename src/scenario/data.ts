import { nyseCalendar, type SessionDate } from "../clock/index.js";
import { BAR_FIELDS, BarStore, DataLoadError, generateSyntheticBars, loadBarsCsv, type SymbolBars } from "../data/index.js";
import type { CsvSource, Scenario } from "./schema.js";
import { ScenarioError } from "./walker.js";

/** Warm-up sessions generated before `from` when a synthetic scenario names none: above MIN_HISTORY_DAYS (250). */
const DEFAULT_SYNTHETIC_WARMUP = 300;

/** CSV files already parsed in this thread, by path and symbol; scenarios get clones. */
const csvCache = new Map<string, Promise<BarStore>>();

/** The scenario's bars as a private copy the injections may mutate. */
export async function loadScenarioBars(scenario: Scenario): Promise<BarStore> {
  const { data } = scenario;
  if (data.synthetic) {
    const spec = data.synthetic;
    return generateSyntheticBars({
      symbols: spec.symbols, from: sessionsBefore(data.from, data.warmup ?? DEFAULT_SYNTHETIC_WARMUP), to: data.to,
      calendar: nyseCalendar, seed: spec.seed ?? scenario.seed, startPrice: spec.startPrice, drift: spec.drift,
      volatility: spec.volatility, jumpIntensity: spec.jumpIntensity, jumpMean: spec.jumpMean, jumpStdev: spec.jumpStdev,
      correlation: spec.correlation,
    });
  }
  const stores = await Promise.all((data.csv ?? []).map((_, position) => loadCsv(scenario, position)));
  const merged = stores.length === 1 ? stores[0].clone() : mergeStores(stores, scenario.file);
  return data.warmup === undefined ? merged : trimBefore(merged, sessionsBefore(data.from, data.warmup));
}

/**
 * The replay window must lie inside the loaded data: sessions past its last date would replay as STALE_DATA and
 * pass as a green run. Throws ScenarioError naming `data.from` or `data.to` and the data's own first or last date.
 */
export function checkWindowInData(scenario: Scenario, bars: BarStore): void {
  const first = bars.sessions[0];
  const last = bars.sessions.at(-1) as SessionDate;
  const { from, to } = scenario.data;
  if (to > last) throw new ScenarioError(scenario.file, "data.to", `${to} is after the last date in the data (${last}); end the replay at or before ${last}`);
  if (from < first) throw new ScenarioError(scenario.file, "data.from", `${from} is before the first date in the data (${first}); start at or after ${first}`);
}

/** A CSV source parsed into plain data, which can be posted to another thread. */
export interface ParsedCsv {
  key: string;
  sessions: readonly SessionDate[];
  series: SymbolBars[];
}

/** The cache keys of the CSV sources a scenario reads. */
export function csvKeysOf(scenario: Scenario): string[] {
  return (scenario.data.csv ?? []).map(csvKey);
}

/**
 * Parses each CSV source the scenarios read, once, in this thread, so worker threads need not load the CSV
 * parser themselves. A source that fails is left out: the scenario reading it loads it again and reports why.
 */
export async function parseScenarioCsvs(scenarios: readonly Scenario[]): Promise<ParsedCsv[]> {
  const sources = new Map(scenarios.flatMap((scenario) => scenario.data.csv ?? []).map((source) => [csvKey(source), source]));
  const parsed = await Promise.all([...sources].map(async ([key, source]): Promise<ParsedCsv | undefined> => {
    try {
      const store = await cachedCsv(source);
      return { key, sessions: store.sessions, series: store.symbols.map((symbol) => store.series(symbol)) };
    } catch {
      return undefined;
    }
  }));
  return parsed.filter((csv) => csv !== undefined);
}

/** Takes CSV sources another thread parsed into this thread's cache. */
export function adoptParsedCsvs(parsed: readonly ParsedCsv[]): void {
  for (const { key, sessions, series } of parsed) csvCache.set(key, Promise.resolve(new BarStore(sessions, series)));
}

async function loadCsv(scenario: Scenario, position: number): Promise<BarStore> {
  try {
    return await cachedCsv(scenario.data.csv![position]);
  } catch (error) {
    if (error instanceof DataLoadError) throw new ScenarioError(scenario.file, `data.csv[${position}]`, error.message);
    throw error;
  }
}

function cachedCsv(source: CsvSource): Promise<BarStore> {
  const key = csvKey(source);
  let store = csvCache.get(key);
  if (store === undefined) {
    store = loadBarsCsv({ files: [source.path], symbol: source.symbol, calendar: nyseCalendar });
    // A failed load is not remembered: the next scenario tries again and reports its own error.
    const loading = store;
    loading.catch(() => csvCache.get(key) === loading && csvCache.delete(key));
    csvCache.set(key, loading);
  }
  return store;
}

function csvKey(source: CsvSource): string {
  return `${source.path}\n${source.symbol ?? ""}`;
}

/** The session `count` sessions before `date` (`date` itself for 0). */
function sessionsBefore(date: SessionDate, count: number): SessionDate {
  let session = date;
  for (let step = 0; step < count; step++) session = nyseCalendar.previousSession(session);
  return session;
}

/** One store on the union of the inputs' session axes; a symbol in two inputs is an error of the scenario. */
function mergeStores(stores: readonly BarStore[], file: string): BarStore {
  const first = stores.map((store) => store.sessions[0]).sort()[0];
  const last = stores.map((store) => store.sessions.at(-1) as string).sort().at(-1) as string;
  const axis = nyseCalendar.sessionsBetween(first, last);
  const series: SymbolBars[] = [];
  for (const store of stores) {
    for (const symbol of store.symbols) {
      if (series.some((bars) => bars.symbol === symbol)) throw new ScenarioError(file, "data.csv", `symbol ${symbol} comes from two CSV sources`);
      series.push(copyOnto(store, symbol, axis, 0));
    }
  }
  return new BarStore(axis, series);
}

/** Drops the sessions before `start` (history the scenario does not want). */
function trimBefore(store: BarStore, start: SessionDate): BarStore {
  const offset = store.sessions.findIndex((session) => session >= start);
  if (offset <= 0) return store;
  const axis = store.sessions.slice(offset);
  return new BarStore(axis, store.symbols.map((symbol) => copyOnto(store, symbol, axis, offset)));
}

/** `symbol`'s bars of `store` laid onto `axis`, whose first session is the store's session `offset` or later. */
function copyOnto(store: BarStore, symbol: string, axis: readonly SessionDate[], offset: number): SymbolBars {
  const source = store.series(symbol);
  const target = BarStore.emptySeries(symbol, axis.length);
  axis.forEach((session, index) => {
    const at = store.indexOf(session);
    if (at < offset) return;
    for (const field of BAR_FIELDS) target[field][index] = source[field][at];
    target.present[index] = source.present[at];
  });
  return target;
}

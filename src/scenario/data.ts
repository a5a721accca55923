import { nyseCalendar, type SessionDate } from "../clock/index.js";
import { BAR_FIELDS, BarStore, DataLoadError, generateSyntheticBars, loadBarsCsv, type SymbolBars } from "../data/index.js";
import type { Scenario } from "./schema.js";
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

async function loadCsv(scenario: Scenario, position: number): Promise<BarStore> {
  const { path, symbol } = scenario.data.csv![position];
  const key = `${path}\n${symbol ?? ""}`;
  if (!csvCache.has(key)) csvCache.set(key, loadBarsCsv({ files: [path], symbol, calendar: nyseCalendar }));
  try {
    return await csvCache.get(key)!;
  } catch (error) {
    csvCache.delete(key);
    if (error instanceof DataLoadError) throw new ScenarioError(scenario.file, `data.csv[${position}]`, error.message);
    throw error;
  }
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

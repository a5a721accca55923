export { BAR_FIELDS, BarStore } from "./barStore.js";
export type { BarField, SymbolBars } from "./barStore.js";
export { DataLoadError, loadBarsCsv } from "./csvLoader.js";
export type { LoadBarsCsvOptions } from "./csvLoader.js";
export { generateSyntheticBars } from "./synthetic.js";
export type { SyntheticBarsOptions } from "./synthetic.js";
export { barsBefore, describeBars } from "./universe.js";
export type { BarsSummary } from "./universe.js";
export type { BarSource, DailyBar } from "./feed.js";

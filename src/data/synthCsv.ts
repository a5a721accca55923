import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { TradingCalendar } from "../clock/index.js";
import type { BarStore } from "./barStore.js";
import { generateSyntheticBars } from "./synthetic.js";

/** What `tradeguard data synth` writes: a seeded universe on the exchange calendar. */
export interface SynthCsvOptions {
  readonly symbols: number;
  readonly sessions: number;
  readonly seed: string | number;
  readonly calendar: TradingCalendar;
  /** First session of the file (default 1990-01-02). */
  readonly from?: string;
}

/** The NYSE calendar ends here; a universe longer than the calendar is refused. */
const LAST_CALENDAR_DAY = "2040-12-31";

/** The first session of a synthetic universe unless told otherwise. */
export const SYNTH_FIRST_SESSION = "1990-01-02";

/** The seeded bars of `symbols` symbols over `sessions` exchange sessions from `from`. */
export function synthUniverse(options: SynthCsvOptions): BarStore {
  const from = options.from ?? SYNTH_FIRST_SESSION;
  const sessions = options.calendar.sessionsBetween(from, LAST_CALENDAR_DAY).slice(0, options.sessions);
  const to = sessions.at(-1);
  if (to === undefined || sessions.length < options.sessions) throw new Error(`the calendar has fewer than ${options.sessions} sessions from ${from}`);
  return generateSyntheticBars({ symbols: options.symbols, from, to, calendar: options.calendar, seed: options.seed });
}

/**
 * Writes `bars` as one CSV with a symbol column (date,symbol,open,high,low,close,volume), session by
 * session; numbers print in full precision, so the file loads back to the same bars. Absent bars are left out.
 */
export async function writeBarsCsv(bars: BarStore, path: string): Promise<number> {
  const out = createWriteStream(path);
  const series = bars.symbols.map((symbol) => bars.series(symbol));
  let rows = 0;
  let chunk = "date,symbol,open,high,low,close,volume\n";
  for (const [i, date] of bars.sessions.entries()) {
    for (const s of series) {
      if (s.present[i] === 0) continue;
      chunk += `${date},${s.symbol},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}\n`;
      rows++;
    }
    // Written a session at a time, so a million-row file never sits in memory as one string.
    if (!out.write(chunk)) await once(out, "drain");
    chunk = "";
  }
  out.end();
  await once(out, "finish");
  return rows;
}

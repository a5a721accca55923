import type { SessionDate } from "../clock/types.js";

/** One symbol's daily bars aligned to the store's session axis; `present[i]` is 0 where no bar arrived. */
export interface SymbolBars {
  readonly symbol: string;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly present: Uint8Array;
}

export type BarField = "open" | "high" | "low" | "close" | "volume";
export const BAR_FIELDS: readonly BarField[] = ["open", "high", "low", "close", "volume"];

/**
 * Columnar daily bars for many symbols on one shared axis of exchange sessions.
 * Reads are index lookups into typed arrays, so the per-session hot path allocates nothing.
 */
export class BarStore {
  readonly sessions: readonly SessionDate[];
  private readonly indexByDate: Map<SessionDate, number>;
  private readonly bySymbol: Map<string, SymbolBars>;

  constructor(sessions: readonly SessionDate[], series: Iterable<SymbolBars>) {
    this.sessions = sessions;
    this.indexByDate = new Map(sessions.map((date, index) => [date, index]));
    this.bySymbol = new Map();
    for (const bars of series) {
      if (bars.close.length !== sessions.length) {
        throw new Error(`bars for ${bars.symbol} have ${bars.close.length} rows, expected ${sessions.length}`);
      }
      this.bySymbol.set(bars.symbol, bars);
    }
  }

  /** An all-absent series of the right length, ready to be filled. */
  static emptySeries(symbol: string, length: number): SymbolBars {
    const open = new Float64Array(length).fill(Number.NaN);
    return {
      symbol,
      open,
      high: open.slice(),
      low: open.slice(),
      close: open.slice(),
      volume: open.slice(),
      present: new Uint8Array(length),
    };
  }

  get symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** Session index of `date`, or -1 when the axis does not hold it. */
  indexOf(date: SessionDate): number {
    return this.indexByDate.get(date) ?? -1;
  }

  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  series(symbol: string): SymbolBars {
    const bars = this.bySymbol.get(symbol);
    if (!bars) throw new Error(`no bars loaded for symbol ${symbol}; loaded: ${this.symbols.join(", ") || "none"}`);
    return bars;
  }

  /** True when a bar for `symbol` arrived at session `index`. */
  isPresent(symbol: string, index: number): boolean {
    return this.series(symbol).present[index] === 1;
  }

  /** A deep copy, so a replay can inject faults without touching the loaded data. */
  clone(): BarStore {
    const copies = [...this.bySymbol.values()].map((bars) => ({
      symbol: bars.symbol,
      open: bars.open.slice(),
      high: bars.high.slice(),
      low: bars.low.slice(),
      close: bars.close.slice(),
      volume: bars.volume.slice(),
      present: bars.present.slice(),
    }));
    return new BarStore(this.sessions, copies);
  }
}

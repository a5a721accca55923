import type { SessionDate } from "../clock/types.js";
import type { SymbolBars } from "../data/barStore.js";
import { price, ratio } from "./format.js";
import { BarVerdicts, isFiniteBar, isSaneBar, previousGoodClose } from "./barChecks.js";
import type { ReasonCode } from "./types.js";

/** Thresholds of the data-quality stage (from MAX_NAN_PCT, MIN_HISTORY_DAYS, OUTLIER_MAX_MOVE, …). */
export interface DataQualityConfig {
  /** Consecutive sessions without an accepted bar, ending now, that make a symbol stale. */
  stalenessSessions: number;
  /** Share of present bars in the look-back with a non-finite field above which a symbol is blocked. */
  maxNanPct: number;
  /** Accepted bars a symbol needs up to now before it may trade. */
  minHistoryBars: number;
  /** Largest allowed |close / previous good close − 1|. */
  outlierMaxMove: number;
  /** Sessions (current one included) over which the non-finite share is measured. */
  lookback: number;
}

/** One reason a symbol is blocked, with the numbers behind it. */
export interface QualityReason {
  code: ReasonCode;
  detail: string;
}

/** The verdict on one symbol at one session. */
export interface SymbolQuality {
  blocked: boolean;
  reasons: QualityReason[];
  /** The price the engine marks positions at; NaN when the symbol never had a good bar. */
  lastGoodClose: number;
}

/** Converts the configured staleness in hours to exchange sessions (72 h → 3). */
export function stalenessSessionsFromHours(hours: number): number {
  return Math.ceil(hours / 24);
}

/**
 * Judges one symbol at one session; counts run on the session axis, so weekends and holidays never count.
 * `indicatorBars` is how many accepted bars the strategies' indicators need (0 when none). `verdicts` (made with
 * `config.outlierMaxMove`) carries the earlier bars' verdicts from session to session; without it they are judged anew.
 */
export function checkSymbolQuality(
  bars: SymbolBars, index: number, config: DataQualityConfig, indicatorBars = 0, verdicts = new BarVerdicts(bars, config.outlierMaxMove),
): SymbolQuality {
  const reasons: QualityReason[] = [];
  const staleLimit = Math.max(1, config.stalenessSessions);
  // A feed that sends only rejected bars is as stale as one that sends none, so both count as missing.
  const missing = verdicts.sessionsWithoutAccepted(index, staleLimit);
  if (missing >= staleLimit) reasons.push({ code: "STALE_DATA", detail: `missing=${missing} limit=${staleLimit}` });

  const currentBad = bars.present[index] === 1 && !isFiniteBar(bars, index);
  const window = Math.max(1, config.lookback);
  const nanShare = verdicts.nonFiniteShare(index, window);
  if (currentBad || nanShare > config.maxNanPct) {
    const current = currentBad ? "non-finite" : "ok";
    const detail = `current=${current} nan_pct=${ratio(nanShare)} limit=${ratio(config.maxNanPct)} window=${window}`;
    reasons.push({ code: "NAN_VALUES", detail });
  }

  // Rejected bars count neither as history nor for indicators, so one bad bar cannot shorten or poison them.
  const goodBars = verdicts.acceptedCount(index, Math.max(config.minHistoryBars, indicatorBars));
  if (goodBars < config.minHistoryBars) {
    reasons.push({ code: "INSUFFICIENT_HISTORY", detail: `good_bars=${goodBars} required=${config.minHistoryBars}` });
  }
  if (goodBars < indicatorBars) {
    reasons.push({ code: "MISSING_INDICATORS", detail: `good_bars=${goodBars} required=${indicatorBars}` });
  }

  const outlier = outlierDetail(bars, index, config.outlierMaxMove);
  if (outlier) reasons.push({ code: "PRICE_OUTLIER", detail: outlier });

  return { blocked: reasons.length > 0, reasons, lastGoodClose: verdicts.lastGoodClose(index) };
}

/** An email-ready plain-text list of the symbols blocked at `session`, one line each. */
export function dataQualitySummary(
  session: SessionDate,
  blocks: readonly { symbol: string; reasons: readonly QualityReason[] }[],
): string {
  if (blocks.length === 0) return `Data quality ${session}: no symbols blocked.`;
  const width = Math.max(...blocks.map((block) => block.symbol.length));
  const lines = blocks.map(
    (block) => `  ${block.symbol.padEnd(width)}  ${block.reasons.map((r) => `${r.code} (${r.detail})`).join("; ")}`,
  );
  const noun = blocks.length === 1 ? "symbol" : "symbols";
  return [`Data quality ${session}: ${blocks.length} ${noun} blocked.`, ...lines].join("\n");
}

function outlierDetail(bars: SymbolBars, index: number, maxMove: number): string | null {
  if (bars.present[index] === 0 || !isFiniteBar(bars, index)) return null;
  const close = bars.close[index];
  if (!isSaneBar(bars, index)) {
    const [open, high, low] = [price(bars.open[index]), price(bars.high[index]), price(bars.low[index])];
    return `insane bar open=${open} high=${high} low=${low} close=${price(close)}`;
  }
  const previous = previousGoodClose(bars, index, maxMove);
  const move = close / previous - 1;
  if (!(Math.abs(move) > maxMove)) return null;
  return `move=${ratio(move)} limit=${ratio(maxMove)} close=${price(close)} prev_close=${price(previous)}`;
}

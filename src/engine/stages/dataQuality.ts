import { checkSymbolQuality, dataQualitySummary, stalenessSessionsFromHours, type QualityReason } from "../../safety/index.js";
import { barsNeededByAll, lookbackOf, type IndicatorSpec } from "../../strategies/index.js";
import { emit, guardsOf, verdictsOf, type SessionContext } from "../context.js";

/** Look-back for the NaN share when no strategy needs a longer one. */
const MIN_NAN_LOOKBACK = 20;

/** Close: checks every symbol a strategy trades or the book holds; blocked ones leave the universe. */
export function checkDataQuality(ctx: SessionContext): void {
  const { config, bars } = ctx.deps;
  const indicatorsBySymbol = requiredIndicatorsBySymbol(ctx);
  const rules = {
    stalenessSessions: stalenessSessionsFromHours(config.DATA_STALENESS_HOURS),
    maxNanPct: config.MAX_NAN_PCT,
    minHistoryBars: config.MIN_HISTORY_DAYS,
    outlierMaxMove: config.OUTLIER_MAX_MOVE,
    lookback: Math.max(MIN_NAN_LOOKBACK, lookbackOf([...indicatorsBySymbol.values()].flat())),
  };
  const blocks: { symbol: string; reasons: QualityReason[] }[] = [];
  for (const symbol of symbolsToCheck(ctx, indicatorsBySymbol)) {
    const series = bars.series(symbol);
    const indicatorBars = barsNeededByAll(indicatorsBySymbol.get(symbol) ?? []);
    const checked = checkSymbolQuality(series, ctx.index, rules, indicatorBars, verdictsOf(ctx, symbol));
    // Unguarded (the twin): the marks stay the last good closes, but no symbol leaves the universe.
    const result = guardsOf(ctx.deps).dataQuality ? checked : { ...checked, blocked: false, reasons: [] };
    const markPrice = Number.isFinite(result.lastGoodClose) ? result.lastGoodClose : (ctx.state.marks[symbol] ?? Number.NaN);
    if (Number.isFinite(markPrice)) ctx.state.marks[symbol] = markPrice;
    ctx.quality.set(symbol, { blocked: result.blocked, reasons: result.reasons, markPrice });
    if (!result.blocked) continue;
    blocks.push({ symbol, reasons: result.reasons });
    for (const reason of result.reasons) {
      emit(ctx, { type: "symbol_blocked", reason: reason.code, detail: reason.detail, symbol });
    }
  }
  if (blocks.length > 0) {
    ctx.deps.artifacts.write("data_quality_report", ctx.date, {
      blocked: blocks,
      summary: dataQualitySummary(ctx.date, blocks),
    });
  }
}

function requiredIndicatorsBySymbol(ctx: SessionContext): Map<string, IndicatorSpec[]> {
  const result = new Map<string, IndicatorSpec[]>();
  for (const strategy of ctx.deps.strategies) {
    for (const symbol of strategy.symbols) {
      const specs = result.get(symbol) ?? [];
      specs.push(...strategy.requiredIndicators);
      result.set(symbol, specs);
    }
  }
  return result;
}

function symbolsToCheck(ctx: SessionContext, strategySymbols: Map<string, unknown>): string[] {
  const held = [...ctx.ledger.qtyBySymbol().keys()].filter((symbol) => ctx.deps.bars.has(symbol));
  return [...new Set([...strategySymbols.keys(), ...held])].sort();
}

/** Close: equity at the last good close of every holding, so a bad tick cannot fake a drawdown. */
export function markToMarket(ctx: SessionContext): void {
  ctx.equity = ctx.ledger.equity((symbol) => ctx.quality.get(symbol)?.markPrice ?? ctx.state.marks[symbol] ?? 0);
}

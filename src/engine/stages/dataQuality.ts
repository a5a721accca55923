import { checkSymbolQuality, dataQualitySummary, stalenessSessionsFromHours, type QualityReason } from "../../safety/index.js";
import { barsNeededByAll, lookbackOf, type IndicatorSpec, type Strategy } from "../../strategies/index.js";
import { emit, guardsOf, verdictsOf, type SessionContext } from "../context.js";

/** Look-back for the NaN share when no strategy needs a longer one. */
const MIN_NAN_LOOKBACK = 20;

/** Close: checks every symbol a strategy trades or the book holds; blocked ones leave the universe. */
export function checkDataQuality(ctx: SessionContext): void {
  const { config, bars } = ctx.deps;
  const plan = planOf(ctx.deps.strategies);
  const rules = {
    stalenessSessions: stalenessSessionsFromHours(config.DATA_STALENESS_HOURS),
    maxNanPct: config.MAX_NAN_PCT,
    minHistoryBars: config.MIN_HISTORY_DAYS,
    outlierMaxMove: config.OUTLIER_MAX_MOVE,
    lookback: plan.lookback,
  };
  const blocks: { symbol: string; reasons: QualityReason[] }[] = [];
  for (const symbol of symbolsToCheck(ctx, plan)) {
    const series = bars.series(symbol);
    const checked = checkSymbolQuality(series, ctx.index, rules, plan.indicatorBars.get(symbol) ?? 0, verdictsOf(ctx, symbol));
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

/** What the strategies ask of the data, the same every session. */
interface QualityPlan {
  /** Accepted bars each traded symbol's indicators need. */
  indicatorBars: Map<string, number>;
  /** The traded symbols, sorted. */
  symbols: readonly string[];
  /** Sessions the NaN share is measured over. */
  lookback: number;
}

/** Worked out once per strategy list: it is the same every session, and costs a pass over every symbol. */
const plans = new WeakMap<readonly Strategy[], QualityPlan>();

function planOf(strategies: readonly Strategy[]): QualityPlan {
  let plan = plans.get(strategies);
  if (plan !== undefined) return plan;
  const indicatorsBySymbol = new Map<string, IndicatorSpec[]>();
  for (const strategy of strategies) {
    for (const symbol of strategy.symbols) {
      const specs = indicatorsBySymbol.get(symbol) ?? [];
      specs.push(...strategy.requiredIndicators);
      indicatorsBySymbol.set(symbol, specs);
    }
  }
  plan = {
    indicatorBars: new Map([...indicatorsBySymbol].map(([symbol, specs]) => [symbol, barsNeededByAll(specs)])),
    symbols: [...indicatorsBySymbol.keys()].sort(),
    lookback: Math.max(MIN_NAN_LOOKBACK, lookbackOf([...indicatorsBySymbol.values()].flat())),
  };
  plans.set(strategies, plan);
  return plan;
}

/** The traded symbols and any other the book holds, sorted. */
function symbolsToCheck(ctx: SessionContext, plan: QualityPlan): readonly string[] {
  const others = [...ctx.ledger.qtyBySymbol().keys()].filter((symbol) => !plan.indicatorBars.has(symbol) && ctx.deps.bars.has(symbol));
  return others.length === 0 ? plan.symbols : [...plan.symbols, ...others].sort();
}

/** Close: equity at the last good close of every holding, so a bad tick cannot fake a drawdown. */
export function markToMarket(ctx: SessionContext): void {
  ctx.equity = ctx.ledger.equity((symbol) => ctx.quality.get(symbol)?.markPrice ?? ctx.state.marks[symbol] ?? 0);
}

import { allocateEquity, outsideRebalanceBand, recordPassed, recordRejected, type BarVerdicts } from "../../safety/index.js";
import type { IndicatorSpec, IsAccepted, Strategy, StrategyContext } from "../../strategies/index.js";
import { computeIndicator } from "../../strategies/index.js";
import { emit, verdictsOf, type SessionContext, type Signal } from "../context.js";

/** A strategy's dollars at this close and how far its holdings may drift from target before they are traded back. */
interface Allocation {
  dollars: number;
  band: number;
}

/** Close: every strategy decides on its unblocked symbols; each target that needs an order becomes a signal. */
export function runStrategies(ctx: SessionContext): void {
  const { strategies, config } = ctx.deps;
  const dollars = allocateEquity(ctx.equity, strategies.map((strategy) => ({ id: strategy.id, weight: strategy.allocation?.weight })));
  for (const strategy of strategies) {
    const allocation: Allocation = { dollars: dollars.get(strategy.id) ?? 0, band: strategy.allocation?.rebalanceBand ?? config.REBALANCE_BAND };
    const universe = strategy.symbols.filter((symbol) => !ctx.quality.get(symbol)?.blocked);
    noteBlockedSymbols(ctx, strategy);
    const decision = strategy.onSession(strategyContext(ctx, strategy, universe));
    for (const [symbol, weight] of decision.targets) {
      const signal = toSignal(ctx, strategy.id, symbol, weight, allocation, decision.note ?? "");
      if (signal) ctx.signals.push(signal);
    }
  }
}

/** A strategy symbol that data quality blocked is a signal stopped at that stage, never silently dropped. */
function noteBlockedSymbols(ctx: SessionContext, strategy: Strategy): void {
  for (const symbol of strategy.symbols) {
    const quality = ctx.quality.get(symbol);
    if (!quality?.blocked) continue;
    const reason = quality.reasons.map((r) => r.code).join("+");
    recordPassed(ctx.state.funnel, strategy.id, "generated");
    recordRejected(ctx.state.funnel, strategy.id, "data_quality", reason);
    ctx.signalRows.push({
      runId: ctx.deps.runId, session: ctx.date, strategyId: strategy.id, symbol,
      targetWeight: null, stage: "data_quality", outcome: "rejected", reason,
    });
  }
}

function strategyContext(ctx: SessionContext, strategy: Strategy, universe: readonly string[]): StrategyContext {
  const { bars } = ctx.deps;
  return {
    date: ctx.date,
    sessionIndex: ctx.index,
    universe,
    positionQty: (symbol) => ctx.ledger.position(strategy.id, symbol).qty,
    price: (symbol) => ctx.quality.get(symbol)?.markPrice ?? Number.NaN,
    indicator: (symbol: string, spec: IndicatorSpec) => computeIndicator(bars.series(symbol), ctx.index, spec, acceptedBy(verdictsOf(ctx, symbol))),
  };
}

const predicates = new WeakMap<BarVerdicts, IsAccepted>();

/** A series' verdicts as indicators take them, made once per series. */
function acceptedBy(verdicts: BarVerdicts): IsAccepted {
  let accepted = predicates.get(verdicts);
  if (accepted === undefined) {
    accepted = Object.assign((i: number) => verdicts.isAccepted(i), { back: (index: number, n: number) => verdicts.acceptedBack(index, n) });
    predicates.set(verdicts, accepted);
  }
  return accepted;
}

/** Turns a target weight into an entry or exit signal, or nothing when the holding is already there (or within its band). */
function toSignal(ctx: SessionContext, strategyId: string, symbol: string, weight: number, { dollars: allocation, band }: Allocation, note: string): Signal | null {
  const price = ctx.quality.get(symbol)?.markPrice ?? Number.NaN;
  if (!Number.isFinite(price) || price <= 0) return null;
  const qty = ctx.ledger.position(strategyId, symbol).qty;
  const currentValue = qty * price;
  const targetValue = Math.max(0, weight) * allocation;
  const delta = targetValue - currentValue;
  const fullExit = weight <= 0 && qty > 0;
  if (Math.abs(delta) < ctx.deps.config.MIN_ORDER_NOTIONAL && !fullExit) return null;
  if (allocation > 0 && !outsideRebalanceBand(currentValue / allocation, Math.max(0, weight), band)) return null;
  const isEntry = delta > 0;
  recordGenerated(ctx, strategyId);
  emit(ctx, {
    type: "signal_generated",
    reason: isEntry ? "ENTRY" : "EXIT",
    detail: `target ${weight} of ${allocation.toFixed(2)}: ${currentValue.toFixed(2)} → ${targetValue.toFixed(2)}${note ? ` (${note})` : ""}`,
    strategy: strategyId,
    symbol,
  });
  return { strategyId, symbol, targetWeight: weight, side: isEntry ? "buy" : "sell", isEntry, currentValue, targetValue, price, reason: isEntry ? "ENTRY" : "EXIT" };
}

/** A signal on a symbol that passed data quality: counted at the funnel's first two stages. */
export function recordGenerated(ctx: SessionContext, strategyId: string): void {
  recordPassed(ctx.state.funnel, strategyId, "generated");
  recordPassed(ctx.state.funnel, strategyId, "data_quality");
}

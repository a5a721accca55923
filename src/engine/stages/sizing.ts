import { floorCents, floorQty } from "../../portfolio/index.js";
import {
  composedMultiplier,
  dailyOrdersDecision,
  positionRoom,
  recordPassed,
  recordResized,
  sizeEntry,
  sizingMultiplier,
  type CorrelationVerdict,
  type EntrySize,
  type ReasonCode,
  type SizingStep,
} from "../../safety/index.js";
import { emit, type SessionContext, type Signal } from "../context.js";
import { SessionCorrelations } from "./correlation.js";
import { drawdownConfig } from "./drawdown.js";
import { openSignals, stop } from "./gates.js";

/** What the sizing rules know about one entry besides its signal. */
interface EntryFacts {
  rampup: number;
  correlation: CorrelationVerdict;
  equity: number;
  exposure: number;
}

/** What one session's entries share and use up as they are sized, in ranking order. */
interface SessionBudget {
  rampup: number;
  /** Cash not yet promised to open buys or to entries sized earlier this session. */
  available: number;
  ordersPlanned: number;
  correlations: SessionCorrelations;
  /** Dollars per symbol across strategies, for MAX_POSITION_PCT. */
  exposure: Map<string, number>;
}

/**
 * Close: turns signals into dollar or share amounts. Entries: target × ramp-up × correlation − held,
 * then the hard caps, the minimum notional and the cash not yet promised, in whole cents (see
 * `sizeEntry`). Exits sell shares and are never scaled, capped or counted out by MAX_DAILY_ORDERS.
 */
export function sizeOrders(ctx: SessionContext): void {
  const signals = openSignals(ctx);
  const exits = new Map(signals.filter((signal) => !signal.isEntry).map((signal) => [signal, planExit(ctx, signal)]));
  ctx.sizingMultiplier = sizingMultiplier(ctx.state.drawdown, drawdownConfig(ctx.deps.config));
  const budget: SessionBudget = {
    rampup: ctx.sizingMultiplier,
    available: ctx.ledger.cash - reservedForOpenBuys(ctx),
    // Exits come first in the day's order count: they reduce risk, so a cap on orders must never block one.
    ordersPlanned: [...exits.values()].filter((plan) => typeof plan === "number").length,
    correlations: new SessionCorrelations(ctx),
    exposure: exposureBySymbol(ctx),
  };
  for (const signal of signals) {
    if (signal.isEntry) sizeOneEntry(ctx, signal, budget);
    else applyExit(ctx, signal, exits.get(signal)!);
  }
}

function sizeOneEntry(ctx: SessionContext, signal: Signal, budget: SessionBudget): void {
  const { config } = ctx.deps;
  const daily = dailyOrdersDecision(budget.ordersPlanned, config.MAX_DAILY_ORDERS);
  if (daily.kind === "deny") return stop(ctx, signal, "sizing_risk", daily.code, daily.detail);
  const facts: EntryFacts = {
    rampup: budget.rampup,
    correlation: budget.correlations.verdict(signal.symbol),
    equity: ctx.equity,
    exposure: budget.exposure.get(signal.symbol) ?? 0,
  };
  const size = sizeEntry({
    targetValue: signal.targetValue,
    currentValue: signal.currentValue,
    rampup: facts.rampup,
    correlation: facts.correlation.multiplier,
    maxOrderNotional: config.MAX_ORDER_NOTIONAL,
    positionRoom: positionRoom(config.MAX_POSITION_PCT, facts.equity, facts.exposure),
    minNotional: config.MIN_ORDER_NOTIONAL,
    affordable: floorCents(budget.available - config.COMMISSION_PER_ORDER),
  });
  if (size.kind === "rejected") return stop(ctx, signal, "sizing_risk", size.code, rejectionDetail(ctx, size, facts, budget.available));
  budget.available -= size.notional + config.COMMISSION_PER_ORDER;
  budget.exposure.set(signal.symbol, facts.exposure + size.notional);
  budget.ordersPlanned += 1;
  budget.correlations.bought(signal.symbol);
  signal.order = { notional: size.notional };
  for (const step of size.steps) noteResize(ctx, signal, size, step, facts);
  recordPassed(ctx.state.funnel, signal.strategyId, "sizing_risk");
}

/** The numbers behind a rejected entry, in the form earlier runs logged them, plus the rule that bound. */
function rejectionDetail(ctx: SessionContext, size: Extract<EntrySize, { kind: "rejected" }>, facts: EntryFacts, available: number): string {
  const { config } = ctx.deps;
  const affordable = floorCents(available - config.COMMISSION_PER_ORDER);
  const multiplier = composedMultiplier(facts.rampup, facts.correlation.multiplier);
  const base = `wanted=${size.wanted.toFixed(2)} affordable=${affordable.toFixed(2)} multiplier=${multiplier} min=${config.MIN_ORDER_NOTIONAL}`;
  const rule = ruleDetail(ctx, size.code, facts);
  return rule ? `${base} ${rule}` : base;
}

/** A resize is a decision too: one event per rule that made an entry smaller, counted in the funnel's sizing stage. */
function noteResize(ctx: SessionContext, signal: Signal, size: Extract<EntrySize, { kind: "sized" }>, step: SizingStep, facts: EntryFacts): void {
  const multiplier = step.code === "RAMPUP_SIZING" ? facts.rampup : composedMultiplier(facts.rampup, facts.correlation.multiplier);
  const rule = ruleDetail(ctx, step.code, facts);
  // Ramp-up and buying-power resizes keep the event shape they had before the other rules existed.
  const data = step.code === "RAMPUP_SIZING" || step.code === "INSUFFICIENT_BUYING_POWER" ? {} : { data: ruleData(ctx, step, facts) };
  recordResized(ctx.state.funnel, signal.strategyId, "sizing_risk", step.code);
  emit(ctx, {
    type: "signal_resized",
    reason: step.code,
    detail: `buy ${signal.symbol} asked=${size.asked.toFixed(2)} sized=${size.notional.toFixed(2)} multiplier=${multiplier}${rule ? ` ${rule}` : ""}`,
    strategy: signal.strategyId,
    symbol: signal.symbol,
    ...data,
  });
}

/** The rule-specific numbers of a cap or the correlation rule; empty for rules whose numbers are already in the line. */
function ruleDetail(ctx: SessionContext, code: ReasonCode, facts: EntryFacts): string {
  const { config } = ctx.deps;
  switch (code) {
    case "CORRELATION_SIZING": {
      const pair = facts.correlation.highest;
      return `correlation=${pair ? pair.correlation.toFixed(4) : "n/a"} paired=${pair?.symbol ?? "none"} threshold=${config.CORRELATION_THRESHOLD} correlation_multiplier=${facts.correlation.multiplier} rampup=${facts.rampup}`;
    }
    case "MAX_ORDER_NOTIONAL":
      return `max_order_notional=${config.MAX_ORDER_NOTIONAL}`;
    case "MAX_POSITION_PCT":
      return `max_position_pct=${config.MAX_POSITION_PCT} equity=${facts.equity.toFixed(2)} exposure=${facts.exposure.toFixed(2)}`;
    default:
      return "";
  }
}

/** Structured facts of a cap or correlation resize, for events.jsonl. */
function ruleData(ctx: SessionContext, step: SizingStep, facts: EntryFacts): Record<string, unknown> {
  const { config } = ctx.deps;
  const base = { before: step.before, after: step.after };
  switch (step.code) {
    case "CORRELATION_SIZING":
      return {
        ...base, correlation: facts.correlation.highest?.correlation ?? null, paired: facts.correlation.highest?.symbol ?? null,
        threshold: config.CORRELATION_THRESHOLD, lookback: config.CORRELATION_LOOKBACK,
        correlationMultiplier: facts.correlation.multiplier, rampup: facts.rampup,
      };
    case "MAX_ORDER_NOTIONAL":
      return { ...base, maxOrderNotional: config.MAX_ORDER_NOTIONAL };
    case "MAX_POSITION_PCT":
      return { ...base, maxPositionPct: config.MAX_POSITION_PCT, equity: facts.equity, exposure: facts.exposure };
    default:
      return base;
  }
}

/** An exit's share quantity, or the detail of why it is too small to send. */
function planExit(ctx: SessionContext, signal: Signal): number | string {
  const held = ctx.ledger.position(signal.strategyId, signal.symbol).qty;
  const fullExit = signal.targetValue <= 0;
  const qty = fullExit ? held : Math.min(held, floorQty((signal.currentValue - signal.targetValue) / signal.price, ctx.deps.config.ALLOW_FRACTIONAL));
  if (qty <= 0 || (!fullExit && qty * signal.price < ctx.deps.config.MIN_ORDER_NOTIONAL)) return `sell qty=${qty} of held=${held} at ${signal.price}`;
  return qty;
}

function applyExit(ctx: SessionContext, signal: Signal, plan: number | string): void {
  if (typeof plan === "string") {
    stop(ctx, signal, "sizing_risk", "BELOW_MIN_NOTIONAL", plan);
    return;
  }
  signal.order = { qty: plan };
  recordPassed(ctx.state.funnel, signal.strategyId, "sizing_risk");
}

/** Cash already promised to buy orders the broker has not finished. */
function reservedForOpenBuys(ctx: SessionContext): number {
  return ctx.state.openOrders
    .filter((order) => order.side === "buy")
    .reduce((sum, order) => sum + Math.max(0, order.reservedNotional - order.bookedValue), 0);
}

/** Dollars in each symbol across strategies: holdings at the session's mark plus buys still open at the broker. */
function exposureBySymbol(ctx: SessionContext): Map<string, number> {
  const exposure = new Map<string, number>();
  const add = (symbol: string, value: number): void => {
    exposure.set(symbol, (exposure.get(symbol) ?? 0) + value);
  };
  for (const [symbol, qty] of ctx.ledger.qtyBySymbol()) {
    add(symbol, qty * (ctx.quality.get(symbol)?.markPrice ?? ctx.state.marks[symbol] ?? 0));
  }
  for (const order of ctx.state.openOrders) {
    if (order.side === "buy") add(order.symbol, Math.max(0, order.reservedNotional - order.bookedValue));
  }
  return exposure;
}

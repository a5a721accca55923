import { floorCents, floorQty } from "../../portfolio/index.js";
import { recordPassed, sizingMultiplier } from "../../safety/index.js";
import { emit, type SessionContext, type Signal } from "../context.js";
import { drawdownConfig } from "./drawdown.js";
import { openSignals, stop } from "./gates.js";

/**
 * Close: turns signals into dollar or share amounts. Entries buy the gap between the held value and
 * target × sizing multiplier, in whole cents, within the cash not yet promised; exits sell shares and
 * are never scaled, so the ramp-up multiplier never forces a reduction.
 */
export function sizeOrders(ctx: SessionContext): void {
  const { config } = ctx.deps;
  const multiplier = sizingMultiplier(ctx.state.drawdown, drawdownConfig(config));
  let available = ctx.ledger.cash - reservedForOpenBuys(ctx);
  for (const signal of openSignals(ctx)) {
    if (!signal.isEntry) {
      sizeExit(ctx, signal);
      continue;
    }
    const wanted = floorCents(signal.targetValue * multiplier - signal.currentValue);
    const affordable = floorCents(available - config.COMMISSION_PER_ORDER);
    const notional = Math.min(wanted, affordable);
    if (notional < config.MIN_ORDER_NOTIONAL) {
      stop(ctx, signal, "sizing_risk", tooSmallBecause(signal, wanted, affordable, multiplier, config.MIN_ORDER_NOTIONAL),
        `wanted=${wanted.toFixed(2)} affordable=${affordable.toFixed(2)} multiplier=${multiplier} min=${config.MIN_ORDER_NOTIONAL}`);
      continue;
    }
    available -= notional + config.COMMISSION_PER_ORDER;
    signal.order = { notional };
    noteResize(ctx, signal, notional, multiplier);
    recordPassed(ctx.state.funnel, signal.strategyId, "sizing_risk");
  }
}

/**
 * Why an entry came out below the minimum: no cash; the ramp-up's reduced target already held (nothing left to
 * buy at reduced size, though full size would buy); or an order that is positive but under the minimum notional.
 */
function tooSmallBecause(signal: Signal, wanted: number, affordable: number, multiplier: number, minimum: number): string {
  if (affordable < wanted) return "INSUFFICIENT_BUYING_POWER";
  if (multiplier < 1 && wanted <= 0 && signal.targetValue - signal.currentValue >= minimum) return "RAMPUP_SIZING";
  return "BELOW_MIN_NOTIONAL";
}

/** A resize is a decision too: say when the ramp-up or the cash made an entry smaller than the strategy asked. */
function noteResize(ctx: SessionContext, signal: Signal, notional: number, multiplier: number): void {
  const asked = floorCents(signal.targetValue - signal.currentValue);
  if (notional >= asked) return;
  const reason = multiplier < 1 && notional >= floorCents(signal.targetValue * multiplier - signal.currentValue) ? "RAMPUP_SIZING" : "INSUFFICIENT_BUYING_POWER";
  emit(ctx, {
    type: "signal_resized",
    reason,
    detail: `buy ${signal.symbol} asked=${asked.toFixed(2)} sized=${notional.toFixed(2)} multiplier=${multiplier}`,
    strategy: signal.strategyId,
    symbol: signal.symbol,
  });
}

function sizeExit(ctx: SessionContext, signal: Signal): void {
  const held = ctx.ledger.position(signal.strategyId, signal.symbol).qty;
  const fullExit = signal.targetValue <= 0;
  const qty = fullExit ? held : Math.min(held, floorQty((signal.currentValue - signal.targetValue) / signal.price, ctx.deps.config.ALLOW_FRACTIONAL));
  if (qty <= 0 || (!fullExit && qty * signal.price < ctx.deps.config.MIN_ORDER_NOTIONAL)) {
    stop(ctx, signal, "sizing_risk", "BELOW_MIN_NOTIONAL", `sell qty=${qty} of held=${held} at ${signal.price}`);
    return;
  }
  signal.order = { qty };
  recordPassed(ctx.state.funnel, signal.strategyId, "sizing_risk");
}

/** Cash already promised to buy orders the broker has not finished. */
function reservedForOpenBuys(ctx: SessionContext): number {
  return ctx.state.openOrders
    .filter((order) => order.side === "buy")
    .reduce((sum, order) => sum + Math.max(0, order.reservedNotional - order.bookedValue), 0);
}

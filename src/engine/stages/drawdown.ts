import {
  notFlatSymbols,
  openFlattenObligation,
  resolveHealthCheck,
  runHealthCheck,
  stepDrawdown,
  stepFlattenObligation,
  type DrawdownConfig,
  type HeldPosition,
  type SafetyEvent,
} from "../../safety/index.js";
import type { Config } from "../../config/index.js";
import { emit, guardsOf, type SessionContext } from "../context.js";
import { alert } from "./alerts.js";

export function drawdownConfig(config: Config): DrawdownConfig {
  return {
    haltThreshold: config.DRAWDOWN_HALT_THRESHOLD,
    panicThreshold: config.DRAWDOWN_PANIC_THRESHOLD,
    haltCooldownSessions: config.HALT_COOLDOWN_DAYS,
    panicCooldownSessions: config.PANIC_COOLDOWN_DAYS,
    rampupSizingPct: config.RAMPUP_SIZING_PCT,
    rampupSessions: config.RAMPUP_DAYS,
    flattenOnPanic: config.FLATTEN_ON_PANIC,
  };
}

/** The drawdown stop switched off: thresholds no drawdown reaches, so the manager only tracks the high-water mark. */
const UNGUARDED = (config: DrawdownConfig): DrawdownConfig => ({ ...config, haltThreshold: Number.POSITIVE_INFINITY, panicThreshold: Number.POSITIVE_INFINITY });

/**
 * Close: the drawdown stop manager's step, the PANIC flatten obligation (opened on entering PANIC, closed
 * once nothing is held), then the health check when a cooldown has run out.
 */
export async function updateDrawdown(ctx: SessionContext): Promise<void> {
  const config = guardsOf(ctx.deps).drawdown ? drawdownConfig(ctx.deps.config) : UNGUARDED(drawdownConfig(ctx.deps.config));
  const step = stepDrawdown(ctx.state.drawdown, { equity: ctx.equity }, ctx.date, config);
  ctx.state.drawdown = step.state;
  ctx.drawdown = step.drawdown;
  await reportTransitions(ctx, step.events);
  const trigger = step.events.find((event) => event.reason === "DRAWDOWN_HALT" || event.reason === "DRAWDOWN_PANIC");
  if (trigger) await withdrawOpenEntries(ctx, trigger.reason);
  if (step.flatten) ctx.state.flattenObligation = openFlattenObligation(ctx.date, heldPositions(ctx));
  await stepObligation(ctx);
  if (!step.healthCheckDue) return;
  const result = runHealthCheck({
    brokerReachable: ctx.brokerReachable,
    brokerError: ctx.brokerError,
    reconciliationMismatches: ctx.state.reconciliationMismatches.length,
    duplicateIntentsLast24h: ctx.deps.store.countDuplicateOrderIntents(ctx.deps.config.DUPLICATE_INTENT_WINDOW_HOURS),
    killSwitchGlobal: ctx.killSwitch.global,
    unblockedSymbols: strategySymbols(ctx).filter((symbol) => !ctx.quality.get(symbol)?.blocked).length,
    totalSymbols: strategySymbols(ctx).length,
    notFlatSymbols: notFlatSymbols(ctx.state.flattenObligation, heldPositions(ctx)),
  });
  ctx.healthCheck = result;
  ctx.state.lastHealthCheck = { session: ctx.date, ...result };
  ctx.deps.artifacts.write("health_check", ctx.date, { ...result, equity: ctx.equity, state: ctx.state.drawdown });
  const resolved = resolveHealthCheck(ctx.state.drawdown, result, { equity: ctx.equity }, ctx.date, config);
  ctx.state.drawdown = resolved.state;
  if (result.passed) ctx.drawdown = 0;
  await reportTransitions(ctx, resolved.events);
}

/** The open flatten obligation's step: done when flat, else the last attempt failed and a new one is due. */
async function stepObligation(ctx: SessionContext): Promise<void> {
  const obligation = ctx.state.flattenObligation;
  if (obligation === null) return;
  const step = stepFlattenObligation(obligation, heldPositions(ctx), ctx.date);
  ctx.state.flattenObligation = step.obligation;
  ctx.flatten = step.attempt;
  await reportTransitions(ctx, step.events);
}

/** The whole book per symbol (strategies holding the same symbol summed): what the venue must close. */
function heldPositions(ctx: SessionContext): HeldPosition[] {
  return [...ctx.ledger.qtyBySymbol()].map(([symbol, qty]) => ({ symbol, qty })).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}

/** A halt or panic also cancels entries still waiting at the broker, so none fills while entries are stopped. */
async function withdrawOpenEntries(ctx: SessionContext, reason: string): Promise<void> {
  for (const order of ctx.state.openOrders.filter((tracked) => tracked.side === "buy")) {
    const about = { strategy: order.strategyId, symbol: order.symbol };
    try {
      await ctx.deps.broker.cancelOrder(order.orderId);
      emit(ctx, { type: "order_cancel_requested", reason, detail: `${order.clientOrderId}: entry withdrawn on ${ctx.state.drawdown.mode}`, ...about });
    } catch (error) {
      emit(ctx, { type: "order_cancel_failed", reason, detail: `${order.clientOrderId}: ${(error as Error).message}`, ...about });
    }
  }
}

function strategySymbols(ctx: SessionContext): string[] {
  return [...new Set(ctx.deps.strategies.flatMap((strategy) => strategy.symbols))];
}

/** What a halt or panic mail tells the operator beyond the numbers: positions, when the cooldown ends, what to run. */
function operatorFacts(ctx: SessionContext, flattened: boolean): { flattened: boolean; cooldownEnds: string; commands: string[] } {
  let end = ctx.date;
  for (let i = 0; i < ctx.state.drawdown.cooldownRemaining; i += 1) end = ctx.deps.calendar.nextSession(end);
  const folder = ctx.deps.runFolder;
  const commands = folder
    ? [
        `tradeguard why ${ctx.date} --out ${folder.out}    # what each strategy wanted and what stopped it`,
        `tradeguard kill on --db ${folder.db}    # keep entries blocked after the cooldown, until you run: kill off`,
        `tradeguard report ${folder.out}    # rebuild the report with this episode`,
      ]
    : [];
  return { flattened, cooldownEnds: end, commands };
}

function attached(kind: string, date: string, file: string | void): { filename: string; content: string }[] {
  return typeof file === "string" ? [{ filename: `${kind}-${date}.json`, content: file }] : [];
}

async function reportTransitions(ctx: SessionContext, events: readonly SafetyEvent[]): Promise<void> {
  const facts = {
    equity: ctx.equity,
    highWaterMark: ctx.state.drawdown.highWaterMark,
    drawdown: ctx.drawdown,
    cooldownSessions: ctx.state.drawdown.cooldownRemaining,
  };
  for (const event of events) {
    emit(ctx, event);
    switch (event.type) {
      case "drawdown_halt": {
        const halt = { ...facts, threshold: ctx.deps.config.DRAWDOWN_HALT_THRESHOLD };
        const file = ctx.deps.artifacts.write("halt", ctx.date, { ...halt, event });
        await alert(ctx, "halt", { ...halt, ...operatorFacts(ctx, false) }, attached("halt", ctx.date, file));
        break;
      }
      case "drawdown_panic": {
        const panic = { ...facts, threshold: ctx.deps.config.DRAWDOWN_PANIC_THRESHOLD };
        // Entering PANIC opens the flatten obligation (after this report) exactly when FLATTEN_ON_PANIC is on.
        const flatten = ctx.deps.config.FLATTEN_ON_PANIC;
        const file = ctx.deps.artifacts.write("panic", ctx.date, { ...panic, flatten, event });
        await alert(ctx, "panic", { ...panic, ...operatorFacts(ctx, flatten) }, attached("panic", ctx.date, file));
        break;
      }
      case "health_check_failed": {
        const failed = (ctx.healthCheck?.checks ?? []).filter((check) => !check.passed);
        await alert(ctx, "health_check_failed", { checks: failed.map((check) => ({ name: check.name, detail: `${check.code}: ${check.detail}` })) });
        break;
      }
      case "flatten_failed":
        await alert(ctx, "flatten_failed", { detail: event.detail, state: ctx.state.drawdown.mode });
        break;
      case "rampup_started":
        await alert(ctx, "resume", { rampUpStart: ctx.date, rampUpSessions: ctx.deps.config.RAMPUP_DAYS, sizing: ctx.deps.config.RAMPUP_SIZING_PCT });
        break;
    }
  }
}

import { scoreStrategyWindows } from "../../safety/index.js";
import { emit, type SessionContext, type StrategySessionRecord } from "../context.js";

/** The record of `strategyId` for this session, created on first use. */
function todaysRecord(ctx: SessionContext, strategyId: string): StrategySessionRecord {
  const history = (ctx.state.health[strategyId] ??= []);
  const last = history.at(-1);
  if (last?.session === ctx.date) return last;
  const record: StrategySessionRecord = { session: ctx.date, cumulativePnl: last?.cumulativePnl ?? 0, closedTrades: [], signals: 0, rejections: 0 };
  history.push(record);
  return record;
}

/** Called when a sell fill realizes P&L for a strategy. */
export function recordClosedTrade(ctx: SessionContext, strategyId: string, pnl: number): void {
  todaysRecord(ctx, strategyId).closedTrades.push({ session: ctx.date, pnl });
}

/**
 * Close: adds today's signals, rejections and P&L to each strategy's window, and on the first
 * session of a week writes the weekly health summary.
 */
export function scoreHealth(ctx: SessionContext): void {
  const { config, calendar } = ctx.deps;
  const markOf = (symbol: string) => ctx.quality.get(symbol)?.markPrice ?? ctx.state.marks[symbol] ?? 0;
  for (const strategy of ctx.deps.strategies) {
    const record = todaysRecord(ctx, strategy.id);
    const signals = ctx.signals.filter((signal) => signal.strategyId === strategy.id);
    record.signals = signals.length;
    record.rejections = signals.filter((signal) => signal.stoppedAt !== undefined).length;
    record.cumulativePnl = ctx.ledger.strategyPnl(strategy.id, markOf);
    ctx.state.health[strategy.id] = ctx.state.health[strategy.id].slice(-config.HEALTH_LONG_WINDOW);
  }
  if (!calendar.isFirstSessionOfWeek(ctx.date)) return;
  const strategies = ctx.deps.strategies.map((strategy) => ({ strategy: strategy.id, ...healthOf(ctx, strategy.id) }));
  ctx.deps.artifacts.write("weekly_health", ctx.date, { strategies });
  // Also an event, so the health history outlives ARTIFACT_RETENTION_DAYS in events.jsonl.
  for (const { strategy, short, long } of strategies) {
    emit(ctx, {
      type: "health_scored",
      reason: long.status,
      detail: `score ${long.score.toFixed(1)} over ${config.HEALTH_LONG_WINDOW} sessions (${short.status} over ${config.HEALTH_SHORT_WINDOW})`,
      strategy,
      data: { short, long },
    });
  }
}

/** Short- and long-window health of one strategy from its remembered sessions. */
export function healthOf(ctx: SessionContext, strategyId: string): ReturnType<typeof scoreStrategyWindows> {
  const { config } = ctx.deps;
  const records = ctx.state.health[strategyId] ?? [];
  return scoreStrategyWindows(
    {
      sessions: records.map((record) => record.session),
      signals: records.map((record) => record.signals),
      rejections: records.map((record) => record.rejections),
      pnlSeries: records.map((record) => record.cumulativePnl),
      closedTrades: records.flatMap((record) => record.closedTrades),
    },
    { minTrades: config.MIN_TRADES_FOR_HEALTH, maxRejectionRate: config.MAX_REJECTION_RATE, minExpectancy: config.MIN_EXPECTANCY },
    config.HEALTH_SHORT_WINDOW,
    config.HEALTH_LONG_WINDOW,
  );
}

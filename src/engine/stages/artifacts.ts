import { whyNoTrade, type FunnelRecord, type FunnelStage } from "../../safety/index.js";
import type { SessionContext } from "../context.js";
import type { DailyDigestFacts } from "../../notify/index.js";
import { alert } from "./alerts.js";
import { healthOf } from "./health.js";

/** Close, after persisting: the explanations a person reads — why nothing traded, the daily digest, retention. */
export async function writeSessionArtifacts(ctx: SessionContext): Promise<void> {
  if (ctx.ordersSubmitted.length === 0) {
    ctx.deps.artifacts.write("why_no_trade_summary", ctx.date, whyNoTradeFacts(ctx));
  }
  if (ctx.deps.config.ALERT_DAILY_DIGEST) await alert(ctx, "daily_digest", digestFacts(ctx));
  sweepOldArtifacts(ctx);
}

function whyNoTradeFacts(ctx: SessionContext): Record<string, unknown> {
  const records: FunnelRecord[] = [
    ...ctx.signalRows.map((row) => ({ strategy: row.strategyId, stage: row.stage as FunnelStage, reason: row.reason ?? undefined, symbol: row.symbol })),
    ...ctx.signals.map((signal) => ({ strategy: signal.strategyId, stage: signal.stoppedAt ?? "submitted", reason: signal.stopReason, symbol: signal.symbol })),
  ];
  const strategies = whyNoTrade(records, ctx.deps.strategies.map((strategy) => strategy.id));
  return { state: ctx.state.drawdown.mode, strategies, summary: strategies.map((entry) => entry.summary) };
}

/** Deletes artifacts older than ARTIFACT_RETENTION_DAYS on the run's clock (calendar days), unless the run keeps them all. */
function sweepOldArtifacts(ctx: SessionContext): void {
  // A replay's artifacts are its evidence; retention protects a live bot's disk.
  if (ctx.deps.artifactRetention === "all") return;
  const cutoff = new Date(Date.parse(`${ctx.date}T00:00:00Z`) - ctx.deps.config.ARTIFACT_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
  ctx.deps.artifacts.deleteBefore?.(cutoff);
}

function digestFacts(ctx: SessionContext): Omit<DailyDigestFacts, "date"> {
  const funnel: Record<string, number> = {};
  for (const signal of ctx.signals) {
    const stage = signal.stoppedAt ? `stopped at ${signal.stoppedAt}` : "submitted";
    funnel[stage] = (funnel[stage] ?? 0) + 1;
  }
  return {
    equity: ctx.equity,
    drawdown: ctx.drawdown,
    state: ctx.state.drawdown.mode,
    funnel,
    dataQuality: [...ctx.quality]
      .filter(([, quality]) => quality.blocked)
      .map(([symbol, quality]) => `${symbol}: ${quality.reasons.map((reason) => `${reason.code} ${reason.detail}`).join("; ")}`),
    health: ctx.deps.strategies.map((strategy) => {
      const { short, long } = healthOf(ctx, strategy.id);
      return { name: strategy.id, status: long.status, detail: `score ${long.score.toFixed(0)} (7d ${short.status})` };
    }),
  };
}

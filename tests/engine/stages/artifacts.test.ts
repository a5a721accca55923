import { describe, expect, it } from "vitest";
import type { Order } from "../../../src/broker/types.js";
import type { SessionContext, Signal } from "../../../src/engine/index.js";
import { writeSessionArtifacts } from "../../../src/engine/stages/artifacts.js";
import { capturingArtifacts, capturingNotifier, eventsOf, stageRig, type StageRig } from "./fixtures.js";

function entry(strategyId: string, symbol: string, stop?: { at: Signal["stoppedAt"]; reason: string }): Signal {
  return {
    strategyId, symbol, targetWeight: 1, side: "buy", isEntry: true, currentValue: 0, targetValue: 1000, price: 100, reason: "ENTRY",
    ...(stop ? { stoppedAt: stop.at, stopReason: stop.reason } : {}),
  };
}

/** One session's close as the artifacts stage meets it: bh_aaa's entry stopped by the kill switch, BBB blocked as stale. */
function closedSession(rig: StageRig): SessionContext {
  const ctx = rig.context();
  ctx.equity = 98_765.4321;
  ctx.drawdown = 0.0125;
  ctx.signals.push(entry("bh_aaa", "AAA", { at: "kill_switch", reason: "KILL_SWITCH_GLOBAL" }), entry("bh_aaa", "BBB"));
  ctx.signalRows.push({ runId: "r", session: "2021-03-01", strategyId: "bh_bbb", symbol: "BBB", targetWeight: null, stage: "data_quality", outcome: "rejected", reason: "STALE_DATA" });
  ctx.quality.set("AAA", { blocked: false, reasons: [], markPrice: 100 });
  ctx.quality.set("BBB", { blocked: true, reasons: [{ code: "STALE_DATA", detail: "no bar for 3 sessions" }, { code: "NAN_VALUES", detail: "2 NaN" }], markPrice: 100 });
  return ctx;
}

describe("the artifacts stage", () => {
  it("explains a session without orders per strategy, from the signals table and the signals still in memory", async () => {
    const rig = stageRig();
    const sink = capturingArtifacts();
    rig.job.deps.artifacts = sink;
    try {
      await writeSessionArtifacts(closedSession(rig));

      expect(sink.written.map(({ kind, date }) => [kind, date])).toEqual([["why_no_trade_summary", "2021-03-01"]]);
      expect(sink.written[0].payload.state).toBe("ACTIVE");
      expect(sink.written[0].payload.summary).toEqual([
        "bh_aaa: no trade; kill_switch KILL_SWITCH_GLOBAL x1 (AAA)",
        "bh_bbb: no trade; data_quality STALE_DATA x1 (BBB)",
      ]);
    } finally {
      await rig.close();
    }
  });

  it("writes no why-no-trade file for a session that submitted an order, and sends no digest unless ALERT_DAILY_DIGEST", async () => {
    const rig = stageRig();
    const sink = capturingArtifacts();
    const notifier = capturingNotifier();
    Object.assign(rig.job.deps, { artifacts: sink, notifier });
    try {
      const ctx = closedSession(rig);
      ctx.ordersSubmitted.push({ id: "o1" } as Order);

      await writeSessionArtifacts(ctx);

      expect(sink.written).toEqual([]);
      expect(notifier.sent).toEqual([]);
      expect(ctx.events).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it("sends the daily digest: equity, drawdown, state, the funnel by stage, blocked symbols with every reason, each strategy's health", async () => {
    const rig = stageRig({ overrides: { ALERT_DAILY_DIGEST: "true" } });
    const notifier = capturingNotifier();
    Object.assign(rig.job.deps, { artifacts: capturingArtifacts(), notifier });
    try {
      const ctx = closedSession(rig);

      await writeSessionArtifacts(ctx);

      expect(notifier.sent.map(({ kind, subject, date }) => ({ kind, subject, date }))).toEqual([
        { kind: "daily_digest", subject: "Daily digest 2021-03-01: ACTIVE, equity $98,765.43, drawdown 1.25%", date: "2021-03-01" },
      ]);
      const text = notifier.sent[0].text;
      expect(text).toMatch(/\n {2}stopped at kill_switch: +1\n {2}submitted: +1\n/);
      expect(text).toContain("BBB: STALE_DATA no bar for 3 sessions; NAN_VALUES 2 NaN");
      expect(text).not.toContain("AAA: ");
      expect(text).toMatch(/bh_aaa +INSUFFICIENT_DATA +score 55 \(7d INSUFFICIENT_DATA\)\n {2}bh_bbb +INSUFFICIENT_DATA +score 55 \(7d INSUFFICIENT_DATA\)/);
      expect(eventsOf(ctx)).toEqual([
        { type: "alert_sent", reason: "ALERT_SENT", detail: "daily_digest via outbox: Daily digest 2021-03-01: ACTIVE, equity $98,765.43, drawdown 1.25%" },
      ]);
      expect(ctx.events[0].data).toEqual({ id: "mail-1" });
    } finally {
      await rig.close();
    }
  });

  it("records a failed delivery as an event instead of failing the session", async () => {
    const rig = stageRig({ overrides: { ALERT_DAILY_DIGEST: "true" } });
    Object.assign(rig.job.deps, { artifacts: capturingArtifacts(), notifier: capturingNotifier({ delivered: false, error: "connection refused" }) });
    try {
      const ctx = closedSession(rig);

      await writeSessionArtifacts(ctx);

      expect(eventsOf(ctx)).toEqual([{ type: "alert_failed", reason: "ALERT_FAILED", detail: "daily_digest: connection refused" }]);
    } finally {
      await rig.close();
    }
  });

  it("deletes artifacts older than ARTIFACT_RETENTION_DAYS calendar days when the run does not keep them all", async () => {
    const rig = stageRig({ overrides: { ARTIFACT_RETENTION_DAYS: "10" } });
    const sink = capturingArtifacts();
    Object.assign(rig.job.deps, { artifacts: sink });
    try {
      await writeSessionArtifacts(rig.context({ date: "2021-03-01" }));
      expect(sink.cutoffs).toEqual([]);

      rig.job.deps.artifactRetention = "config";
      await writeSessionArtifacts(rig.context({ date: "2021-03-01" }));
      rig.job.deps.artifactRetention = undefined;
      await writeSessionArtifacts(rig.context({ date: "2021-03-12" }));

      expect(sink.cutoffs).toEqual(["2021-02-19", "2021-03-02"]);
    } finally {
      await rig.close();
    }
  });
});

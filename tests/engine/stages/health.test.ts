import { describe, expect, it } from "vitest";
import { scoreHealth } from "../../../src/engine/stages/health.js";
import { stageRig } from "./fixtures.js";

describe("the health stage", () => {
  it("adds today's signals and rejections to each strategy's record and keeps only the long window of sessions", async () => {
    const rig = stageRig({ overrides: { HEALTH_SHORT_WINDOW: "2", HEALTH_LONG_WINDOW: "3" } });
    try {
      const ctx = rig.context({ date: "2021-03-03" });
      ctx.state.health.bh_aaa = ["2021-02-24", "2021-02-25", "2021-02-26", "2021-03-01", "2021-03-02"].map((session) => ({ session, cumulativePnl: 5, closedTrades: [], signals: 1, rejections: 0 }));
      const signal = { strategyId: "bh_aaa", symbol: "AAA", side: "buy" as const, isEntry: true, targetWeight: 1, currentValue: 0, targetValue: 100, price: 100, reason: "ENTRY" };
      ctx.signals.push(signal, { ...signal, stoppedAt: "kill_switch", stopReason: "KILL_SWITCH_GLOBAL" });

      scoreHealth(ctx);

      expect(ctx.state.health.bh_aaa.map((record) => [record.session, record.signals, record.rejections, record.cumulativePnl])).toEqual([
        ["2021-03-01", 1, 0, 5], ["2021-03-02", 1, 0, 5], ["2021-03-03", 2, 1, 0],
      ]);
      expect(ctx.state.health.bh_bbb.map((record) => [record.session, record.signals, record.rejections])).toEqual([["2021-03-03", 0, 0]]);
    } finally {
      await rig.close();
    }
  });
});

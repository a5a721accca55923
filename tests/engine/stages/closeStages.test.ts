import { describe, expect, it } from "vitest";
import type { Signal } from "../../../src/engine/index.js";
import { checkDataQuality } from "../../../src/engine/stages/dataQuality.js";
import { persistSession } from "../../../src/engine/stages/persist.js";
import { reconcileWithBroker } from "../../../src/engine/stages/reconcile.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { CAPITAL, capturingArtifacts, capturingNotifier, scriptedBroker, SESSION, stageRig } from "./fixtures.js";

describe("the data-quality stage", () => {
  it("checks every strategy symbol and every held one with bars, blocks and reports the bad ones, and marks at the last good close", async () => {
    const rig = stageRig({ symbols: ["AAA", "BBB", "CCC", "DDD"] });
    const artifacts = capturingArtifacts();
    rig.job.deps.artifacts = artifacts;
    try {
      const { bars } = rig.job.deps;
      const index = bars.indexOf(SESSION);
      for (const i of [index - 2, index - 1, index]) bars.series("BBB").present[i] = 0;
      bars.series("DDD").present.fill(0);
      const ledger = new Ledger(CAPITAL);
      ledger.applyFill({ strategyId: "s", symbol: "DDD", side: "buy", qty: 1, price: 40 });
      ledger.applyFill({ strategyId: "s", symbol: "ZZZ", side: "buy", qty: 1, price: 40 });
      const ctx = rig.context({ ledger });
      ctx.state.marks.DDD = 42;

      checkDataQuality(ctx);

      expect([...ctx.quality.keys()]).toEqual(["AAA", "BBB", "DDD"]);
      expect(ctx.quality.get("AAA")).toEqual({ blocked: false, reasons: [], markPrice: 100 });
      expect(ctx.quality.get("BBB")).toMatchObject({ blocked: true, markPrice: 100 });
      expect(ctx.quality.get("DDD")).toMatchObject({ blocked: true, markPrice: 42 });
      expect(ctx.state.marks).toEqual({ AAA: 100, BBB: 100, DDD: 42 });
      expect(ctx.events.map((event) => `${event.type} ${event.reason} ${event.symbol}`)).toEqual([
        "symbol_blocked STALE_DATA BBB", "symbol_blocked STALE_DATA DDD", "symbol_blocked INSUFFICIENT_HISTORY DDD",
      ]);
      expect(artifacts.written.map((file) => [file.kind, (file.payload.blocked as { symbol: string }[]).map((block) => block.symbol)])).toEqual([["data_quality_report", ["BBB", "DDD"]]]);

      // unguarded (the twin): the same marks, but nothing leaves the universe and nothing is reported
      rig.job.deps.guards = { drawdown: true, killSwitch: true, dataQuality: false };
      const twin = rig.context({ ledger });
      checkDataQuality(twin);
      expect([...twin.quality.values()].map((quality) => [quality.blocked, quality.reasons, quality.markPrice])).toEqual([[false, [], 100], [false, [], 100], [false, [], Number.NaN]]);
      expect(twin.events).toEqual([]);
      expect(artifacts.written).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });

  it("writes no report for a session where nothing is blocked", async () => {
    const rig = stageRig();
    const artifacts = capturingArtifacts();
    rig.job.deps.artifacts = artifacts;
    try {
      checkDataQuality(rig.context());
      expect(artifacts.written).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});

describe("the reconciliation stage", () => {
  it("reports a new mismatch once (event, artifact, mail), stays quiet while it lasts, and says when it is resolved", async () => {
    const rig = stageRig();
    let brokerQty = 3;
    const broker = Object.assign(scriptedBroker(), { getAccount: async () => ({}), getPositions: async () => [{ symbol: "AAA", qty: brokerQty }] });
    const notifier = capturingNotifier();
    const artifacts = capturingArtifacts();
    Object.assign(rig.job.deps, { broker, notifier, artifacts });
    try {
      const ledger = new Ledger(CAPITAL);
      ledger.applyFill({ strategyId: "s", symbol: "AAA", side: "buy", qty: 2, price: 100 });
      const first = rig.context({ ledger });
      await reconcileWithBroker(first);
      const mismatch = { symbol: "AAA", internalQty: 2, brokerQty: 3, diff: 1 };
      expect(first.events.map((event) => [event.type, event.reason, event.detail, event.data])).toEqual([
        ["reconciliation_mismatch", "RECONCILIATION_MISMATCH", "AAA: internal=2 broker=3", { mismatches: [mismatch] }],
        expect.arrayContaining(["alert_sent"]),
      ]);
      expect(artifacts.written).toEqual([{ kind: "reconciliation", date: SESSION, payload: { clean: false, mismatches: [mismatch] } }]);
      expect(notifier.sent.map((mail) => mail.kind)).toEqual(["reconciliation_mismatch"]);
      expect(first.state.reconciliationMismatches).toEqual(["AAA"]);

      const again = rig.context({ ledger });
      again.state.reconciliationMismatches = ["AAA"];
      await reconcileWithBroker(again);
      expect(again.events).toEqual([]);

      brokerQty = 2;
      await reconcileWithBroker(again);
      expect(again.events.map((event) => `${event.type} ${event.reason} ${event.detail}`)).toEqual(["reconciliation_resolved RECONCILIATION_MISMATCH internal and broker positions agree again"]);
      expect(again.state.reconciliationMismatches).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it("marks the broker unreachable when it cannot read the account", async () => {
    const rig = stageRig();
    rig.job.deps.broker = scriptedBroker();
    try {
      const ctx = rig.context();
      await reconcileWithBroker(ctx);
      expect(ctx.brokerReachable).toBe(false);
      expect(ctx.events.map((event) => `${event.type} ${event.reason} ${event.detail}`)).toEqual(["broker_unreachable BROKER_UNREACHABLE account/positions read failed: getAccount is not scripted"]);
    } finally {
      await rig.close();
    }
  });
});

describe("the persist stage", () => {
  it("stores each signal of the session with its stage, outcome and reason", async () => {
    const rig = stageRig();
    try {
      const ctx = rig.context();
      const base: Signal = { strategyId: "s", symbol: "AAA", side: "buy", isEntry: true, targetWeight: 0.5, currentValue: 0, targetValue: 100, price: 100, reason: "ENTRY" };
      ctx.signals.push(base, { ...base, symbol: "BBB", stoppedAt: "kill_switch", stopReason: "KILL_SWITCH_GLOBAL" });

      persistSession(ctx);

      expect(rig.job.deps.store.listSignals(rig.job.runId).map(({ symbol, targetWeight, stage, outcome, reason }) => ({ symbol, targetWeight, stage, outcome, reason }))).toEqual([
        { symbol: "AAA", targetWeight: 0.5, stage: "submitted", outcome: "submitted", reason: null },
        { symbol: "BBB", targetWeight: 0.5, stage: "kill_switch", outcome: "rejected", reason: "KILL_SWITCH_GLOBAL" },
      ]);
      expect(rig.job.deps.store.getRun(rig.job.runId)?.lastSession).toBe(SESSION);
    } finally {
      await rig.close();
    }
  });
});

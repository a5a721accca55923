import { describe, it, expect } from "vitest";
import {
  FUNNEL_STAGES,
  createFunnel,
  funnelReport,
  recordPassed,
  recordRejected,
  recordResized,
  rejectionsReport,
  whyNoTrade,
  type Funnel,
  type FunnelStage,
} from "../../src/safety/index.js";

/** Records `n` signals of `strategy` passing every stage up to and including `last`. */
function passThrough(funnel: Funnel, strategy: string, last: FunnelStage, n: number): void {
  const stages = FUNNEL_STAGES.slice(0, FUNNEL_STAGES.indexOf(last) + 1);
  for (let i = 0; i < n; i++) for (const stage of stages) recordPassed(funnel, strategy, stage);
}

describe("signal funnel", () => {
  it("counts passes per stage and the conversion from the stage before", () => {
    const funnel = createFunnel();
    passThrough(funnel, "sma", "filled", 2);
    passThrough(funnel, "sma", "data_quality", 2);
    recordRejected(funnel, "sma", "kill_switch", "KILL_SWITCH_STRATEGY");
    recordRejected(funnel, "sma", "kill_switch", "KILL_SWITCH_STRATEGY");

    const { stages, strategies } = funnelReport(funnel);

    expect(stages).toEqual(FUNNEL_STAGES);
    expect(strategies.sma.counts).toMatchObject({ generated: 4, data_quality: 4, kill_switch: 2, filled: 2 });
    expect(strategies.sma.conversion).toMatchObject({ generated: null, data_quality: 1, kill_switch: 0.5, submitted: 1 });
  });

  it("gives a null conversion after a stage nobody passed", () => {
    const funnel = createFunnel();
    recordRejected(funnel, "sma", "generated", "NO_SIGNAL");

    expect(funnelReport(funnel).strategies.sma.conversion.data_quality).toBeNull();
  });

  it("groups rejections by stage in funnel order, then by reason, most frequent first", () => {
    const funnel = createFunnel();
    recordRejected(funnel, "sma", "drawdown_gate", "DRAWDOWN_HALT");
    recordRejected(funnel, "sma", "data_quality", "PRICE_OUTLIER");
    recordRejected(funnel, "sma", "data_quality", "STALE_DATA");
    recordRejected(funnel, "momentum", "data_quality", "STALE_DATA");

    expect(rejectionsReport(funnel)).toEqual([
      { stage: "data_quality", reason: "STALE_DATA", count: 2, strategies: { sma: 1, momentum: 1 } },
      { stage: "data_quality", reason: "PRICE_OUTLIER", count: 1, strategies: { sma: 1 } },
      { stage: "drawdown_gate", reason: "DRAWDOWN_HALT", count: 1, strategies: { sma: 1 } },
    ]);
  });

  it("counts signals a stage passed smaller, per rule, next to the passes", () => {
    const funnel = createFunnel();
    passThrough(funnel, "sma", "sizing_risk", 2);
    recordResized(funnel, "sma", "sizing_risk", "CORRELATION_SIZING");
    recordResized(funnel, "sma", "sizing_risk", "CORRELATION_SIZING");
    recordResized(funnel, "sma", "sizing_risk", "RAMPUP_SIZING");

    const report = funnelReport(funnel).strategies.sma;

    expect(report.resized).toEqual({ sizing_risk: { CORRELATION_SIZING: 2, RAMPUP_SIZING: 1 } });
    expect(report.counts.sizing_risk).toBe(2);
  });

  it("reads a funnel saved before resizes were counted", () => {
    const saved = { strategies: { sma: { passed: createFunnelPasses(), rejected: {} } } } as Funnel;

    recordResized(saved, "sma", "sizing_risk", "MAX_ORDER_NOTIONAL");

    expect(funnelReport(saved).strategies.sma.resized).toEqual({ sizing_risk: { MAX_ORDER_NOTIONAL: 1 } });
  });

  it("survives a JSON round trip and keeps counting", () => {
    const funnel = createFunnel();
    passThrough(funnel, "sma", "submitted", 1);

    const restored: Funnel = JSON.parse(JSON.stringify(funnel));
    recordPassed(restored, "sma", "filled");

    expect(funnelReport(restored).strategies.sma.counts.filled).toBe(1);
  });
});

describe("why no trade", () => {
  it("names the reasons and symbols that stopped each strategy without a fill", () => {
    const explanations = whyNoTrade(
      [
        { strategy: "sma", stage: "generated", symbol: "SPY" },
        { strategy: "sma", stage: "data_quality", reason: "STALE_DATA", symbol: "SPY" },
        { strategy: "sma", stage: "data_quality", reason: "STALE_DATA", symbol: "QQQ" },
        { strategy: "sma", stage: "drawdown_gate", reason: "DRAWDOWN_HALT", symbol: "IWM" },
        { strategy: "buy_and_hold", stage: "filled", symbol: "SPY" },
      ],
      ["sma", "momentum", "buy_and_hold"],
    );

    expect(explanations.map((explanation) => explanation.summary)).toEqual([
      "sma: no trade; data_quality STALE_DATA x2 (QQQ, SPY); drawdown_gate DRAWDOWN_HALT x1 (IWM)",
      "momentum: no signals generated",
    ]);
  });

  it("says when orders were submitted but not filled", () => {
    const [explanation] = whyNoTrade([
      { strategy: "sma", stage: "generated" },
      { strategy: "sma", stage: "submitted" },
    ]);

    expect(explanation.summary).toBe("sma: submitted, not filled");
  });
});

/** Zero passes at every stage, as a saved funnel holds them. */
function createFunnelPasses(): Funnel["strategies"][string]["passed"] {
  return Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, 0])) as Funnel["strategies"][string]["passed"];
}

describe("funnel reports: order and wording", () => {
  it("orders rejections by stage, then count, then reason", () => {
    const funnel = createFunnel();
    recordRejected(funnel, "s1", "sizing_risk", "ZETA");
    recordRejected(funnel, "s1", "sizing_risk", "ALPHA");
    recordRejected(funnel, "s1", "sizing_risk", "MIDDLE");
    recordRejected(funnel, "s1", "sizing_risk", "MIDDLE");
    recordRejected(funnel, "s1", "kill_switch", "KILL_SWITCH_GLOBAL");

    expect(rejectionsReport(funnel).map((row) => `${row.stage} ${row.reason} ${row.count}`)).toEqual([
      "kill_switch KILL_SWITCH_GLOBAL 1",
      "sizing_risk MIDDLE 2",
      "sizing_risk ALPHA 1",
      "sizing_risk ZETA 1",
    ]);
  });

  it("orders rejections of one stage and count by reason however they were recorded", () => {
    const funnel = createFunnel();
    for (const reason of ["ALPHA", "MIDDLE", "ZETA"]) recordRejected(funnel, "s1", "sizing_risk", reason);

    expect(rejectionsReport(funnel).map((row) => row.reason)).toEqual(["ALPHA", "MIDDLE", "ZETA"]);
  });

  it("explains a missing trade stage by stage, the most frequent reason first, with its symbols", () => {
    const [why] = whyNoTrade([
      { strategy: "s1", stage: "sizing_risk", reason: "RAMPUP_SIZING", symbol: "BBB" },
      { strategy: "s1", stage: "sizing_risk", reason: "MAX_ORDER_NOTIONAL", symbol: "BBB" },
      { strategy: "s1", stage: "sizing_risk", reason: "MAX_ORDER_NOTIONAL", symbol: "AAA" },
      { strategy: "s1", stage: "data_quality", reason: "STALE_DATA" },
    ]);

    expect(why.summary).toBe("s1: no trade; data_quality STALE_DATA x1; sizing_risk MAX_ORDER_NOTIONAL x2 (AAA, BBB); sizing_risk RAMPUP_SIZING x1 (BBB)");
  });

  it("tells a submitted order that did not fill from a signal that stopped without a reason", () => {
    expect(whyNoTrade([{ strategy: "s1", stage: "submitted" }])[0].summary).toBe("s1: submitted, not filled");
    expect(whyNoTrade([{ strategy: "s1", stage: "generated" }])[0].summary).toBe("s1: no trade; no rejection recorded");
  });

  it("leaves out only strategies with a fill, not those with a reason recorded at the fill stage", () => {
    expect(whyNoTrade([{ strategy: "s1", stage: "filled" }])).toEqual([]);
    expect(whyNoTrade([{ strategy: "s1", stage: "filled", reason: "PARTIAL" }]).map((why) => why.strategy)).toEqual(["s1"]);
  });
});

import { describe, expect, it } from "vitest";
import { readKillSwitches } from "../../../src/engine/stages/killSwitch.js";
import { stageRig } from "./fixtures.js";

describe("the kill-switch stage", () => {
  it("reads the operator's override from the store's kill_switch key and records each flip once, strategies in order", async () => {
    const rig = stageRig({ overrides: { STRATEGY_DISABLED_LIST: "zeta" } });
    try {
      rig.job.deps.store.setSystemState("kill_switch", { global: true, strategies: { beta: true, alpha: true, zeta: false } });
      const ctx = rig.context();

      readKillSwitches(ctx);

      expect(ctx.killSwitch.global).toBe(true);
      expect([...ctx.killSwitch.strategies].sort()).toEqual(["alpha", "beta"]);
      expect(ctx.state.killSwitch).toEqual({ global: true, strategies: ["alpha", "beta"] });
      expect(ctx.events.map((event) => `${event.type} ${event.reason} ${event.detail}`)).toEqual([
        "kill_switch_on KILL_SWITCH_GLOBAL global kill switch on: entries blocked",
        "kill_switch_on KILL_SWITCH_STRATEGY strategy alpha kill switch on: its entries blocked",
        "kill_switch_on KILL_SWITCH_STRATEGY strategy beta kill switch on: its entries blocked",
      ]);
    } finally {
      await rig.close();
    }
  });

  it("reads no switch at all for the unguarded twin", async () => {
    const rig = stageRig({ overrides: { TRADING_DISABLED: "true" } });
    try {
      rig.job.deps.guards = { drawdown: true, killSwitch: false, dataQuality: true };
      const ctx = rig.context();

      readKillSwitches(ctx);

      expect(ctx.killSwitch.global).toBe(false);
      expect(ctx.events).toEqual([]);
      expect(ctx.state.killSwitch).toBeUndefined();
    } finally {
      await rig.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { checkLiveGuard, LIVE_OPT_IN } from "../../src/job/index.js";
import { initialDrawdownState, type DrawdownState } from "../../src/safety/index.js";

const halted: DrawdownState = { ...initialDrawdownState(1000), mode: "HALTED", cooldownRemaining: 4 };

describe("the live guard", () => {
  it("refuses live trading without TRADEGUARD_LIVE=I_UNDERSTAND", () => {
    expect(() => checkLiveGuard({ mode: "live", optIn: undefined, storedState: undefined, acknowledgeState: false })).toThrow(/TRADEGUARD_LIVE=I_UNDERSTAND/);
    expect(() => checkLiveGuard({ mode: "live", optIn: "yes", storedState: undefined, acknowledgeState: false })).toThrow(/TRADEGUARD_LIVE/);
  });

  it("lets live trading through with the opt-in, and paper or simulated without it", () => {
    expect(() => checkLiveGuard({ mode: "live", optIn: LIVE_OPT_IN, storedState: undefined, acknowledgeState: false })).not.toThrow();
    expect(() => checkLiveGuard({ mode: "paper", optIn: undefined, storedState: undefined, acknowledgeState: false })).not.toThrow();
  });

  it("refuses paper or live on a store left HALTED or PANIC unless the state is acknowledged", () => {
    for (const mode of ["paper", "live"] as const) {
      expect(() => checkLiveGuard({ mode, optIn: LIVE_OPT_IN, storedState: halted, acknowledgeState: false })).toThrow(/HALTED .*--acknowledge-state/);
      expect(() => checkLiveGuard({ mode, optIn: LIVE_OPT_IN, storedState: { ...halted, mode: "PANIC" }, acknowledgeState: false })).toThrow(/PANIC/);
      expect(() => checkLiveGuard({ mode, optIn: LIVE_OPT_IN, storedState: halted, acknowledgeState: true })).not.toThrow();
    }
    expect(() => checkLiveGuard({ mode: "paper", optIn: undefined, storedState: { ...halted, mode: "RAMPUP" }, acknowledgeState: false })).not.toThrow();
  });
});

import type { BrokerMode } from "../broker/types.js";
import type { DrawdownState } from "../safety/index.js";
import { ReplayInputError } from "./replayJob.js";

/** The value of TRADEGUARD_LIVE that opts in to live trading; anything else refuses. */
export const LIVE_OPT_IN = "I_UNDERSTAND";

export interface LiveGuardInput {
  mode: BrokerMode;
  /** The TRADEGUARD_LIVE environment variable. */
  optIn: string | undefined;
  /** The drawdown state the store holds from an earlier run, if any. */
  storedState: DrawdownState | undefined;
  acknowledgeState: boolean;
}

/**
 * Nothing goes live by accident: live trading needs TRADEGUARD_LIVE=I_UNDERSTAND, and a store left HALTED or
 * PANIC by an earlier run needs --acknowledge-state (in every mode that trades a real account).
 */
export function checkLiveGuard(input: LiveGuardInput): void {
  if (input.mode === "live" && input.optIn !== LIVE_OPT_IN) {
    throw new ReplayInputError(`--broker live refused: set TRADEGUARD_LIVE=${LIVE_OPT_IN} to trade real money (run --broker paper first)`);
  }
  const mode = input.storedState?.mode;
  if (input.mode !== "simulated" && (mode === "HALTED" || mode === "PANIC") && !input.acknowledgeState) {
    throw new ReplayInputError(`--broker ${input.mode} refused: the store is ${mode} (cooldown ${input.storedState?.cooldownRemaining} sessions) from an earlier run; check it with tradeguard status, then pass --acknowledge-state`);
  }
}

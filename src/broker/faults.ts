import seedrandom from "seedrandom";
import type { BrokerFault } from "./types.js";

export type FaultRngState = seedrandom.State.Arc4;

/**
 * The simulated broker's fault schedule and its one seeded generator: every random outcome of a venue
 * (which call a fault hits, how much of a partial fill fills) is drawn here, so the same seed and the
 * same calls give the same outcomes, and the generator's state can be saved and restored.
 */
export class FaultSchedule {
  private faults: readonly BrokerFault[];
  private rng: seedrandom.StatefulPRNG<FaultRngState>;

  constructor(seed: string | number, faults: readonly BrokerFault[] = []) {
    this.faults = [...faults];
    this.rng = seedrandom(String(seed), { state: true });
  }

  /** Replaces the schedule; the generator keeps its state. */
  set(faults: readonly BrokerFault[]): void {
    this.faults = [...faults];
  }

  /** One draw per in-window fault of that kind, so the draw sequence depends only on the calls made. */
  hits(kind: BrokerFault["kind"], sessionIndex: number): boolean {
    return this.faults.some((fault) => fault.kind === kind && inWindow(fault, sessionIndex) && this.rng() < fault.rate);
  }

  /** True while a fault of that kind is scheduled for the session, without drawing. */
  scheduled(kind: BrokerFault["kind"], sessionIndex: number): boolean {
    return this.faults.some((fault) => fault.kind === kind && inWindow(fault, sessionIndex));
  }

  /** A uniform draw in [0, 1). */
  draw(): number {
    return this.rng();
  }

  state(): FaultRngState {
    return this.rng.state();
  }

  restore(state: FaultRngState): void {
    this.rng = seedrandom("", { state });
  }
}

function inWindow(fault: BrokerFault, sessionIndex: number): boolean {
  return sessionIndex >= fault.fromIndex && sessionIndex <= fault.toIndex;
}

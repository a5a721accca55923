import { BrokerError, type Broker, type BrokerErrorCode, type BrokerMode } from "../broker/types.js";
import type { SessionDate } from "../clock/types.js";
import type { BarSource } from "../data/feed.js";
import { decodeJson, encodeJson } from "./codec.js";
import { firstDifference } from "./diff.js";
import { BarSourceThrough, BrokerThrough } from "./ports.js";
import type { Port, RecordedError } from "./recorder.js";
import type { CycleRecording } from "./recording.js";

/** Where a replay first stopped matching its recording. */
export interface Divergence {
  invocation: number;
  cycle: number;
  /** The session the recorded cycle decided (null for wiring, waiting or failed cycles). */
  session: SessionDate | null;
  /** What differed: a broker call (`call #3 (submitOrder)`) or a part of what the session wrote (`events #2 (drawdown_halt)`). */
  stage: string;
  field: string;
  recorded: string;
  replayed: string;
}

/** One line naming the session, the cycle, the stage and the field, with both values. */
export function describeDivergence(divergence: Divergence): string {
  const where = divergence.session === null ? `process ${divergence.invocation}, cycle ${divergence.cycle}` : `session ${divergence.session} (process ${divergence.invocation}, cycle ${divergence.cycle})`;
  return `${where}: ${divergence.stage}, field ${divergence.field}: recorded ${divergence.recorded}, replayed ${divergence.replayed}`;
}

/** Thrown into the engine when it asks for a call the recording does not have; the playback keeps the divergence. */
export class DivergenceError extends Error {
  override name = "DivergenceError";
}

/** Thrown when the engine asks past the end of a cycle the recorded process never finished (it died there). */
export class RecordingEndedError extends Error {
  override name = "RecordingEndedError";
}

/**
 * A broker and a market-data source that answer from a recording, one cycle at a time, in the recorded order.
 * A call that differs from the recorded one (another method, other arguments, one too many) is the
 * replay's first divergence: it is kept, and every later call fails with it.
 */
export class Playback {
  readonly broker: Broker;
  readonly barSource: BarSource;
  private cycle: CycleRecording | undefined;
  private next = 0;
  private found: Divergence | null = null;

  constructor(mode: BrokerMode) {
    this.broker = new BrokerThrough(mode, (method, args) => this.answer("broker", method, args));
    this.barSource = new BarSourceThrough((method, args) => this.answer("bars", method, args));
  }

  /** The first divergence met, even if the engine caught the error it was thrown as. */
  get divergence(): Divergence | null {
    return this.found;
  }

  beginCycle(cycle: CycleRecording): void {
    this.cycle = cycle;
    this.next = 0;
  }

  /** The first recorded call of the current cycle the replay did not make, as a divergence (null when all were made). */
  unmadeCall(): Divergence | null {
    const cycle = this.current();
    const missed = cycle.calls[this.next];
    if (missed === undefined) return null;
    return this.diverge(`call #${this.next + 1} (${missed.method})`, "call", `${missed.method}(${argumentsText(missed.requestJson)})`, "(no call)");
  }

  private async answer<T>(port: Port, method: string, args: readonly unknown[]): Promise<T> {
    if (this.found) throw new DivergenceError(describeDivergence(this.found));
    const cycle = this.current();
    const recorded = cycle.calls[this.next];
    const stage = `call #${this.next + 1} (${recorded?.method ?? method})`;
    if (recorded === undefined) {
      if (cycle.outcome === null) throw new RecordingEndedError(`the recording of process ${cycle.invocation}, cycle ${cycle.cycle} ends here`);
      throw this.divergenceError(stage, "call", "(no call)", `${method}(${argumentsText(encodeJson(args))})`);
    }
    if (recorded.port !== port || recorded.method !== method) throw this.divergenceError(stage, "method", recorded.method, method);
    const difference = firstDifference(decodeJson(recorded.requestJson), decodeJson(encodeJson(args)));
    if (difference) throw this.divergenceError(stage, `args${difference.path.startsWith("[") ? "" : "."}${difference.path}`, difference.recorded, difference.replayed);
    this.next += 1;
    if (recorded.errorJson !== null) throw errorFrom(decodeJson<RecordedError>(recorded.errorJson));
    return decodeJson<T>(recorded.answerJson ?? "null");
  }

  private divergenceError(stage: string, field: string, recorded: string, replayed: string): DivergenceError {
    return new DivergenceError(describeDivergence(this.diverge(stage, field, recorded, replayed)));
  }

  private diverge(stage: string, field: string, recorded: string, replayed: string): Divergence {
    const cycle = this.current();
    this.found ??= { invocation: cycle.invocation, cycle: cycle.cycle, session: cycle.session, stage, field, recorded, replayed };
    return this.found;
  }

  private current(): CycleRecording {
    if (this.cycle === undefined) throw new Error("the playback has no cycle: call beginCycle first");
    return this.cycle;
  }
}

/** The arguments of a call as a short list: `"tg-20190603-…"` rather than `["tg-20190603-…"]`. */
function argumentsText(requestJson: string): string {
  return requestJson.replace(/^\[|\]$/g, "");
}

/** The error the recorded call failed with, as the engine first met it (a BrokerError keeps status and code). */
function errorFrom(error: RecordedError): Error {
  if (error.status !== undefined && error.code !== undefined) return new BrokerError(error.status, error.code as BrokerErrorCode, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

import type { SessionDate } from "../clock/types.js";
import type { RecordedCall, RecordedCycle, Store } from "../store/index.js";
import { decodeJson, sha256 } from "./codec.js";
import type { CycleOutcome } from "./outcome.js";
import { DamagedRecordingError } from "./errors.js";
import { callHash } from "./recorder.js";

export { DamagedRecordingError };

/** A recorded cycle with its calls, in the order the engine made them. */
export interface CycleRecording {
  invocation: number;
  cycle: number;
  /** Null for a cycle the process never finished (it crashed or was killed inside it). */
  outcome: CycleOutcome | null;
  session: SessionDate | null;
  calls: RecordedCall[];
}

/** One recorded `trade` process: the run it continued, its config (secrets masked) and its cycles. */
export interface InvocationRecording {
  invocation: number;
  runId: string;
  mode: string;
  config: Record<string, unknown>;
  strategies: unknown;
  cycles: CycleRecording[];
}


/** Every recorded process of a store, verified against its hashes; empty when the store has no recording. */
export function readRecording(store: Store): InvocationRecording[] {
  const calls = callsByCycle(verifiedCalls(store.listRecordedCalls()));
  const cycles = store.listRecordedCycles().map((cycle) => verifiedCycle(cycle, calls.get(cycleKey(cycle)) ?? []));
  return store.listRecordedInvocations().map((row) => {
    if (sha256(row.runId, row.mode, row.configJson, row.strategiesJson) !== row.sha256) throw new DamagedRecordingError(`recorded process ${row.invocation}: its config does not match its hash`);
    return {
      invocation: row.invocation,
      runId: row.runId,
      mode: row.mode,
      config: decodeJson<Record<string, unknown>>(row.configJson),
      strategies: decodeJson(row.strategiesJson),
      cycles: cycles.filter((cycle) => cycle.invocation === row.invocation),
    };
  });
}

function verifiedCalls(calls: readonly RecordedCall[]): readonly RecordedCall[] {
  let previous: string | null = null;
  for (const call of calls) {
    if (callHash(previous, call) !== call.sha256) throw new DamagedRecordingError(`recorded call ${call.seq} (${call.method}) does not match its hash: the recording was changed after it was written`);
    previous = call.sha256;
  }
  return calls;
}

function callsByCycle(calls: readonly RecordedCall[]): Map<string, RecordedCall[]> {
  const byCycle = new Map<string, RecordedCall[]>();
  for (const call of calls) {
    const key = cycleKey(call);
    if (!byCycle.has(key)) byCycle.set(key, []);
    byCycle.get(key)?.push(call);
  }
  return byCycle;
}

function cycleKey(row: { invocation: number; cycle: number }): string {
  return `${row.invocation}/${row.cycle}`;
}

function verifiedCycle(row: RecordedCycle, own: RecordedCall[]): CycleRecording {
  if (row.kind === null || row.outcomeJson === null) return { invocation: row.invocation, cycle: row.cycle, outcome: null, session: null, calls: own };
  if (sha256(row.invocation, row.cycle, row.kind, row.session, row.clockEnd, row.outcomeJson) !== row.sha256) {
    throw new DamagedRecordingError(`recorded cycle ${row.invocation}/${row.cycle}: its outcome does not match its hash`);
  }
  return { invocation: row.invocation, cycle: row.cycle, outcome: decodeJson<CycleOutcome>(row.outcomeJson), session: row.session, calls: own };
}

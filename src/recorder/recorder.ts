import type { Broker } from "../broker/types.js";
import type { Clock } from "../clock/types.js";
import { CONFIG_KEYS, CONFIG_SPEC, redactConfig, type Config, type ConfigKeySpec } from "../config/index.js";
import type { BarSource } from "../data/feed.js";
import type { Store } from "../store/index.js";
import type { StrategySpec } from "../strategies/index.js";
import { encodeJson, sha256 } from "./codec.js";
import type { CycleOutcome } from "./outcome.js";
import { BarSourceThrough, BrokerThrough } from "./ports.js";

/** Which port a recorded call went through. */
export type Port = "broker" | "bars";

/** A failed call as recorded: enough to throw the same error again on playback. */
export interface RecordedError {
  name: string;
  message: string;
  status?: number;
  code?: string;
}

export interface FlightRecorderOptions {
  store: Store;
  runId: string;
  mode: string;
  config: Config;
  strategies: readonly StrategySpec[];
  /** The engine's clock: its readings at each cycle's start and end are recorded. */
  clock: Clock;
  /** Measures call durations only; a duration is recorded, never fed back into a decision. */
  stopwatch: Clock;
}

/**
 * Appends what one `trade` process decided from to its store: its resolved config (secrets masked), every call
 * through the broker and market-data ports in order (request, answer or error, duration; hash-chained), and
 * how each cycle ended. Each call is written as it returns, so a crash keeps everything up to it.
 */
export class FlightRecorder {
  private readonly invocation: number;
  private readonly secrets: string[];
  private cycle = 0;
  private cycleOpen = false;
  private chainHead: string | null;

  constructor(private readonly options: FlightRecorderOptions) {
    const { store, runId, mode, config, strategies } = options;
    this.secrets = secretValues(config);
    const configJson = this.scrub(encodeJson(redactConfig(config)));
    const strategiesJson = this.scrub(encodeJson(strategies));
    this.invocation = store.insertRecordedInvocation({ runId, mode, configJson, strategiesJson, sha256: sha256(runId, mode, configJson, strategiesJson) });
    this.chainHead = store.lastRecordedCallHash();
  }

  /** The engine's broker, each call recorded. */
  broker(inner: Broker): Broker {
    return new BrokerThrough(inner.mode, (method, args, send) => this.record("broker", method, args, send), inner);
  }

  /** The market-data source, each fetch (the bars as received) recorded. */
  barSource(inner: BarSource): BarSource {
    return new BarSourceThrough((method, args, send) => this.record("bars", method, args, send), inner);
  }

  /** Runs one port call and appends it, answer or error, to the current cycle. */
  private async record<T>(port: Port, method: string, args: readonly unknown[], call: () => Promise<T>): Promise<T> {
    const started = this.options.stopwatch.now();
    try {
      const answer = await call();
      this.append(port, method, args, { answer }, this.options.stopwatch.now() - started);
      return answer;
    } catch (error) {
      this.append(port, method, args, { error: recordedError(error) }, this.options.stopwatch.now() - started);
      throw error;
    }
  }

  /** Closes the current cycle with how it ended; the next call opens the next cycle. */
  endCycle(outcome: CycleOutcome): void {
    this.openCycle();
    const outcomeJson = this.scrub(encodeJson(outcome));
    const session = outcome.kind === "decided" ? outcome.session : null;
    const hash = sha256(this.invocation, this.cycle, outcome.kind, session, outcome.clock, outcomeJson);
    this.options.store.finishRecordedCycle(this.invocation, this.cycle, { kind: outcome.kind, session, clockEnd: outcome.clock, outcomeJson, sha256: hash });
    this.cycle += 1;
    this.cycleOpen = false;
  }

  /** Closes the current cycle as failed: the process stops with this error. */
  failCycle(error: unknown): void {
    this.endCycle({ kind: "failed", clock: this.options.clock.now(), error: error instanceof Error ? error.message : String(error) });
  }

  private openCycle(): void {
    if (this.cycleOpen) return;
    this.options.store.insertRecordedCycle({ invocation: this.invocation, cycle: this.cycle, clockStart: this.options.clock.now() });
    this.cycleOpen = true;
  }

  private append(port: Port, method: string, args: readonly unknown[], result: { answer: unknown } | { error: RecordedError }, durationMs: number): void {
    this.openCycle();
    const requestJson = this.scrub(encodeJson(args));
    const answerJson = "answer" in result ? this.scrub(encodeJson(result.answer)) : null;
    const errorJson = "error" in result ? this.scrub(encodeJson(result.error)) : null;
    const hash = callHash(this.chainHead, { port, method, requestJson, answerJson, errorJson, durationMs });
    this.options.store.appendRecordedCall({ invocation: this.invocation, cycle: this.cycle, port, method, requestJson, answerJson, errorJson, durationMs, sha256: hash });
    this.chainHead = hash;
  }

  /** Belt and braces: the ports never carry keys, but a value a server echoed must not reach the store either. */
  private scrub(json: string): string {
    return this.secrets.reduce((text, secret) => text.split(secret).join("***"), json);
  }
}

/** A call's hash, chained to the previous call's so a missing, reordered or edited call is detected. */
export function callHash(previous: string | null, call: { port: string; method: string; requestJson: string; answerJson: string | null; errorJson: string | null; durationMs: number }): string {
  return sha256(previous, call.port, call.method, call.requestJson, call.answerJson, call.errorJson, call.durationMs);
}

function recordedError(error: unknown): RecordedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { status, code } = error as Error & { status?: unknown; code?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof status === "number" ? { status } : {}),
    ...(typeof code === "string" ? { code } : {}),
  };
}

/** The configured values of secret keys (Alpaca keys, SMTP URL), longest first so none is masked piecemeal. */
function secretValues(config: Config): string[] {
  return CONFIG_KEYS.filter((key) => (CONFIG_SPEC[key] as ConfigKeySpec).secret)
    .map((key) => String(config[key]))
    .filter((value) => value.length >= 4)
    .sort((a, b) => b.length - a.length);
}

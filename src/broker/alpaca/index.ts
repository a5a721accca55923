import type { AlpacaCallOptions } from "./calls.js";
import { resolveAlpacaConnection, type AlpacaMode, type AlpacaSettings } from "./connection.js";
import { AlpacaBarSource } from "./bars.js";
import { AlpacaBroker } from "./broker.js";

export { AlpacaBroker } from "./broker.js";
export { AlpacaBarSource } from "./bars.js";
export { resolveAlpacaConnection, type AlpacaConnection, type AlpacaMode, type AlpacaSettings } from "./connection.js";
export type { AlpacaCallOptions } from "./calls.js";

export interface AlpacaOptions extends AlpacaCallOptions {
  /** Where APCA_API_KEY_ID/APCA_API_SECRET_KEY are read when the config has no keys (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Per-request timeout in ms (default the SDK's 30 s). */
  timeoutMs?: number;
}

/** The Broker port on Alpaca paper or live (or on the sandbox ALPACA_BASE_URL points at). */
export function createAlpacaBroker(config: AlpacaSettings, mode: AlpacaMode, options: AlpacaOptions = {}): AlpacaBroker {
  return new AlpacaBroker(mode, { ...resolveAlpacaConnection(config, mode, options.env), timeoutMs: options.timeoutMs }, options);
}

/** Daily bars from Alpaca market data (or from the sandbox ALPACA_DATA_URL points at). */
export function createAlpacaBarSource(config: AlpacaSettings, mode: AlpacaMode, options: AlpacaOptions = {}): AlpacaBarSource {
  return new AlpacaBarSource({ ...resolveAlpacaConnection(config, mode, options.env), timeoutMs: options.timeoutMs }, options);
}

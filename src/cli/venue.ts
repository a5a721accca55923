import type { Broker } from "../broker/index.js";
import { createAlpacaBarSource, createAlpacaBroker } from "../broker/alpaca/index.js";
import type { Config } from "../config/index.js";
import type { BarSource } from "../data/index.js";

/** The broker factory for `trade`: paper and live go to Alpaca (or to the sandbox ALPACA_BASE_URL names). */
export function openVenue(mode: "paper" | "live", config: Config, env: NodeJS.ProcessEnv): { broker: Broker; barSource: BarSource } {
  return { broker: createAlpacaBroker(config, mode, { env }), barSource: createAlpacaBarSource(config, mode, { env }) };
}

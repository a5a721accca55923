import { DEFAULT_RATE_LIMIT, marketData, trading } from "@alpacahq/alpaca-trade-api/rest";
import { ConfigError, type Config } from "../../config/index.js";

/** Alpaca's hosts; nothing outside this adapter names them. */
const PAPER_TRADING_URL = "https://paper-api.alpaca.markets";
const LIVE_TRADING_URL = "https://api.alpaca.markets";
const MARKET_DATA_URL = "https://data.alpaca.markets";

export type AlpacaMode = "paper" | "live";

/** The configuration keys the adapter reads. */
export type AlpacaSettings = Pick<Config, "ALPACA_API_KEY" | "ALPACA_SECRET_KEY" | "ALPACA_BASE_URL" | "ALPACA_DATA_URL" | "ALPACA_DATA_FEED">;

/** Where and as whom the adapter talks to Alpaca (or to a sandbox that speaks its API). */
export interface AlpacaConnection {
  tradingUrl: string;
  dataUrl: string;
  keyId: string;
  secret: string;
  /** Market-data feed of daily bars. */
  feed: string;
  /** The SDK's client-side throttle: on for Alpaca's hosts, off for a sandbox, which answers 429 itself. */
  clientRateLimit: boolean;
  /** Per-request timeout in ms (the SDK's default when absent). */
  timeoutMs?: number;
}

/**
 * Reads keys from ALPACA_API_KEY/ALPACA_SECRET_KEY, else from Alpaca's standard APCA_API_KEY_ID/APCA_API_SECRET_KEY
 * environment variables; picks the paper or live host by mode unless ALPACA_BASE_URL/ALPACA_DATA_URL override it.
 */
export function resolveAlpacaConnection(
  config: AlpacaSettings,
  mode: AlpacaMode,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AlpacaConnection {
  const keyId = config.ALPACA_API_KEY || env.APCA_API_KEY_ID || "";
  const secret = config.ALPACA_SECRET_KEY || env.APCA_API_SECRET_KEY || "";
  if (keyId === "" || secret === "") {
    throw new ConfigError(`Alpaca ${mode} trading needs keys: set ALPACA_API_KEY and ALPACA_SECRET_KEY (or APCA_API_KEY_ID and APCA_API_SECRET_KEY)`);
  }
  const overridden = config.ALPACA_BASE_URL !== "";
  return {
    tradingUrl: withoutTrailingSlash(overridden ? config.ALPACA_BASE_URL : mode === "live" ? LIVE_TRADING_URL : PAPER_TRADING_URL),
    dataUrl: withoutTrailingSlash(config.ALPACA_DATA_URL || (overridden ? config.ALPACA_BASE_URL : MARKET_DATA_URL)),
    keyId,
    secret,
    feed: config.ALPACA_DATA_FEED,
    clientRateLimit: !overridden,
  };
}

/** The SDK's generated-layer configurations: they take an explicit base URL, which the `Alpaca` facade does not. */
export function tradingConfiguration(connection: AlpacaConnection): trading.Configuration {
  return new trading.Configuration({ basePath: connection.tradingUrl, ...sharedParameters(connection) });
}

export function marketDataConfiguration(connection: AlpacaConnection): marketData.Configuration {
  return new marketData.Configuration({ basePath: connection.dataUrl, ...sharedParameters(connection) });
}

/** No SDK retries: the adapter waits out 429s itself and never lets a submit be replayed unseen. */
function sharedParameters(connection: AlpacaConnection): trading.ConfigurationParameters {
  return {
    keyId: connection.keyId,
    secret: connection.secret,
    rateLimit: connection.clientRateLimit ? DEFAULT_RATE_LIMIT : undefined,
    timeoutMs: connection.timeoutMs,
  };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

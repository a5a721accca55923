/**
 * Every configuration key, its type, default and meaning. Names and defaults of the safety keys
 * follow the seed's "Configuration Quick Reference"; the engine's own keys follow them.
 */

export type ConfigValueType = "number" | "integer" | "boolean" | "string" | "list" | "enum";

export interface ConfigKeySpec {
  type: ConfigValueType;
  default: string;
  description: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** Secrets are never written to artifacts or the store. */
  secret?: boolean;
}

/** Dollar amounts above this lose whole cents in a double (exact to about 9e13) and overflow the books. */
const MAX_DOLLARS = 1e12;

export const CONFIG_SPEC = {
  DRAWDOWN_HALT_THRESHOLD: { type: "number", default: "0.08", min: 0, max: 1, description: "Drawdown from the high-water mark that halts new entries." },
  DRAWDOWN_PANIC_THRESHOLD: { type: "number", default: "0.10", min: 0, max: 1, description: "Drawdown that enters PANIC (and flattens when FLATTEN_ON_PANIC)." },
  HALT_COOLDOWN_DAYS: { type: "integer", default: "10", min: 1, max: 1000, description: "Trading sessions a halt lasts before the health check." },
  PANIC_COOLDOWN_DAYS: { type: "integer", default: "20", min: 1, max: 1000, description: "Trading sessions a panic lasts before the health check." },
  RAMPUP_SIZING_PCT: { type: "number", default: "0.50", min: 0, max: 1, description: "Sizing multiplier for entries during ramp-up." },
  RAMPUP_DAYS: { type: "integer", default: "5", min: 0, max: 1000, description: "Decision sessions the ramp-up lasts after a passed health check." },
  FLATTEN_ON_PANIC: { type: "boolean", default: "true", description: "Close every position with market orders on the close that enters PANIC." },
  DATA_STALENESS_HOURS: { type: "number", default: "72", min: 1, description: "A symbol without a good bar (present and not rejected as NaN or outlier) this long, in exchange sessions (hours / 24, rounded up), is STALE_DATA." },
  MAX_NAN_PCT: { type: "number", default: "0.10", min: 0, max: 1, description: "Share of bars with non-finite values in the look-back above which a symbol is NAN_VALUES." },
  MIN_HISTORY_DAYS: { type: "integer", default: "250", min: 0, description: "Bars a symbol needs up to now (warm-up counts) before it may trade." },
  OUTLIER_MAX_MOVE: { type: "number", default: "0.5", min: 0, description: "A one-session close-to-close move larger than this is PRICE_OUTLIER." },
  TRADING_DISABLED: { type: "boolean", default: "false", description: "Global kill switch: blocks every entry (KILL_SWITCH_GLOBAL)." },
  STRATEGY_DISABLED_LIST: { type: "list", default: "", description: "Comma-separated strategy ids whose entries are blocked (KILL_SWITCH_STRATEGY)." },
  HEALTH_SHORT_WINDOW: { type: "integer", default: "7", min: 1, description: "Short window of the strategy health scorer, in sessions." },
  HEALTH_LONG_WINDOW: { type: "integer", default: "30", min: 1, description: "Long window of the strategy health scorer, in sessions." },
  MIN_TRADES_FOR_HEALTH: { type: "integer", default: "5", min: 0, description: "Closed trades below which health is judged on the holding period (each session's unrealised P&L change of the positions held), or INSUFFICIENT_DATA when nothing was held." },
  MAX_REJECTION_RATE: { type: "number", default: "0.80", min: 0, max: 1, description: "Rejection rate above which a strategy is at most DEGRADED." },
  MIN_EXPECTANCY: { type: "number", default: "0.0", description: "Mean P&L per closed trade below which a strategy is at most WARNING." },
  ARTIFACT_RETENTION_DAYS: { type: "integer", default: "90", min: 1, description: "In trade mode, artifacts older than this (on the run's clock) are deleted; a replay keeps every artifact." },
  DRY_RUN: { type: "boolean", default: "false", description: "Run all logic and artifacts but send no order, cancel or close to the broker." },
  SMTP_URL: { type: "string", default: "", secret: true, description: "SMTP server for alerts, e.g. smtp://user:pass@host:587; empty writes .eml files to <out>/outbox." },
  ALERT_EMAIL_TO: { type: "string", default: "", description: "Comma-separated alert recipients." },
  ALERT_DAILY_DIGEST: { type: "boolean", default: "false", description: "Also send a digest (equity, drawdown, state, orders, data quality) at every session close; meant for paper/live." },
  ALERT_EMAIL_FROM: { type: "string", default: "tradeguard@localhost", description: "Sender address of alerts." },
  BROKER_MODE: { type: "enum", default: "simulated", choices: ["simulated", "paper", "live"], description: "Which broker the pipeline trades through." },
  ALPACA_API_KEY: { type: "string", default: "", secret: true, description: "Alpaca key id (paper/live)." },
  ALPACA_SECRET_KEY: { type: "string", default: "", secret: true, description: "Alpaca secret key (paper/live)." },
  ALPACA_BASE_URL: { type: "string", default: "", description: "Alpaca trading API base URL; empty picks Alpaca's paper or live host by BROKER_MODE (set it to a sandbox's URL)." },
  ALPACA_DATA_URL: { type: "string", default: "", description: "Alpaca market-data API base URL; empty is Alpaca's data host, or ALPACA_BASE_URL when that is set (a sandbox serves both)." },
  ALPACA_DATA_FEED: { type: "enum", default: "iex", choices: ["iex", "sip", "otc", "boats"], description: "Alpaca market-data feed of daily bars: iex (free), sip, otc or boats." },
  INITIAL_CAPITAL: { type: "number", default: "1000", min: 0.01, max: MAX_DOLLARS, description: "Starting cash of a replay, in dollars (also --capital)." },
  MIN_ORDER_NOTIONAL: { type: "number", default: "1", min: 0, max: MAX_DOLLARS, description: "Orders smaller than this many dollars are not sent (BELOW_MIN_NOTIONAL)." },
  CORRELATION_LOOKBACK: { type: "integer", default: "60", min: 2, max: 1000, description: "Good sessions of daily returns behind the correlation of an entry with the symbols already held." },
  CORRELATION_THRESHOLD: { type: "number", default: "0.7", min: -1, max: 1, description: "Correlation with a held (or earlier bought) symbol at or above which an entry is scaled by CORRELATION_SIZING_PCT." },
  CORRELATION_SIZING_PCT: { type: "number", default: "0.5", min: 0, max: 1, description: "Sizing multiplier of an entry correlated with a held symbol (CORRELATION_SIZING); 1 turns the rule off." },
  REBALANCE_BAND: { type: "number", default: "0", min: 0, max: 1, description: "A holding is traded back to target only when its weight is more than this off the target weight (0.05 = 5 points); a strategy's rebalance_band overrides it." },
  MAX_ORDER_NOTIONAL: { type: "number", default: "0", min: 0, description: "Hard cap: an entry above this many dollars is cut to it (MAX_ORDER_NOTIONAL); 0 is off." },
  MAX_DAILY_ORDERS: { type: "integer", default: "0", min: 0, description: "Hard cap: orders per session across strategies; entries beyond it are rejected (MAX_DAILY_ORDERS), exits still go; 0 is off." },
  MAX_POSITION_PCT: { type: "number", default: "0", min: 0, max: 1, description: "Hard cap: share of equity one symbol may reach across strategies after an entry, which is cut to fit (MAX_POSITION_PCT); 0 is off." },
  ALLOW_FRACTIONAL: { type: "boolean", default: "true", description: "Allow fractional share quantities (notional orders)." },
  SLIPPAGE_BPS: { type: "number", default: "0", min: 0, max: 1000, description: "Simulated broker: adverse slippage at the fill, in basis points." },
  COMMISSION_PER_ORDER: { type: "number", default: "0", min: 0, max: MAX_DOLLARS, description: "Simulated broker: commission per filled order, in dollars." },
  TRADE_CLOSE_DELAY_MINUTES: { type: "number", default: "15", min: 0, max: 600, description: "trade: minutes after a session's close before it is decided (the day's bars settle)." },
  TRADE_POLL_SECONDS: { type: "number", default: "60", min: 0.001, max: 3600, description: "trade --loop: longest wait between two readings of the broker's market clock." },
  DUPLICATE_INTENT_WINDOW_HOURS: { type: "number", default: "24", min: 0, description: "Window of the health check's duplicate-intent count." },
} as const satisfies Record<string, ConfigKeySpec>;

export type ConfigKey = keyof typeof CONFIG_SPEC;

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createAlpacaBarSource, createAlpacaBroker } from "../../src/broker/alpaca/index.js";
import { nyseCalendar, type SessionDate } from "../../src/clock/index.js";
import { generateSyntheticBars } from "../../src/data/index.js";
import { prepareLiveTrade, type PreparedTrade } from "../../src/job/index.js";
import { Sandbox, type HttpFault } from "../../src/sandbox/index.js";
import { configWith, tempDir } from "../engine/fixtures.js";

export const FIRST: SessionDate = "2019-05-31";
/** Recognisable, so a test can grep the store for it. */
export const SECRET = "sk-RECORDER-CANARY-4b1d93";
const KEYS = { keyId: "PK-RECORDER-KEY", secret: SECRET };
const STRATEGIES = [{ name: "sma_cross", params: { symbol: "SYN000", fast: 5, slow: 20 } }, { name: "buy_and_hold", params: { symbol: "SYN001" } }];
/** The venue fills 10 bps worse than the open, so compare-fills has something to find. */
export const VENUE_SLIPPAGE_BPS = 10;

export interface RecordedBot {
  db: string;
  sessions: SessionDate[];
}

export interface RecordingPlan {
  sessions: number;
  /** Faults the sandbox plays during the cycle of session i (0-based). */
  faults?: Record<number, HttpFault[]>;
  /** Sessions after which the bot's process ends and a new one continues the store. */
  restartAfter?: readonly number[];
  dryRun?: boolean;
}

/** Trades `plan.sessions` paper sessions against an in-process sandbox, one `once()` per close, recording each. */
export async function recordPaperSessions(plan: RecordingPlan): Promise<RecordedBot> {
  const bars = generateSyntheticBars({ symbols: 2, from: "2018-01-02", to: "2019-12-31", calendar: nyseCalendar, seed: 11 });
  const sandbox = await Sandbox.start({ bars, from: FIRST, capital: 1000, seed: "1", keys: KEYS, venue: { slippageBps: VENUE_SLIPPAGE_BPS } });
  const dir = tempDir("recorder");
  const db = join(dir, "bot.db");
  const settings = { ALPACA_API_KEY: KEYS.keyId, ALPACA_SECRET_KEY: SECRET, ALPACA_BASE_URL: sandbox.url, ALPACA_DATA_URL: "", ALPACA_DATA_FEED: "iex" };
  const config = configWith({ ...settings, TRADE_CLOSE_DELAY_MINUTES: "0", DRY_RUN: String(plan.dryRun ?? false) });
  const noSleep = { sleep: async () => undefined };
  const start = () =>
    prepareLiveTrade({
      mode: "paper", config, strategies: STRATEGIES, dbPath: db, outDir: join(dir, "out"),
      broker: createAlpacaBroker(config, "paper", noSleep), barSource: createAlpacaBarSource(config, "paper", noSleep), liveOptIn: undefined, acknowledgeState: true,
    });
  const sessions: SessionDate[] = [];
  let trade: PreparedTrade = await start();
  try {
    for (let i = 0; i < plan.sessions; i++) {
      for (const fault of plan.faults?.[i] ?? []) sandbox.faults.add(fault);
      const result = await trade.once();
      if (result.kind !== "decided") throw new Error(`session ${i} was not decided: ${JSON.stringify(result)}`);
      sessions.push(result.session);
      // A second reading of the same close decides nothing: a waiting cycle in the recording.
      if (i === 1) await trade.once();
      if (plan.restartAfter?.includes(i)) {
        await trade.close();
        trade = await start();
      }
      if (i < plan.sessions - 1) await sandbox.advance(1);
    }
  } finally {
    await trade.close();
    await sandbox.close();
  }
  return { db, sessions };
}

/** Every byte the bot's folder holds (store, WAL, run files, artifacts), for a secret grep. */
export function everyFileUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString("latin1"));
}

import type { Broker, Order, OrderRequest } from "../../../src/broker/types.js";
import { nyseCalendar } from "../../../src/clock/index.js";
import type { SessionDate } from "../../../src/clock/types.js";
import { generateSyntheticBars } from "../../../src/data/index.js";
import type { ArtifactSink, SessionContext } from "../../../src/engine/index.js";
import { initialEngineState } from "../../../src/engine/index.js";
import { newSessionContext } from "../../../src/engine/session.js";
import { prepareReplay, type PreparedReplay } from "../../../src/job/index.js";
import type { Alert, Notifier, NotifyResult } from "../../../src/notify/index.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { configWith, tempDir } from "../fixtures.js";

/** The first session of the stage tests; the bars start a year earlier, so every look-back has its history. */
export const SESSION: SessionDate = "2021-03-01";
export const CAPITAL = 100_000;

export interface StageRig {
  job: PreparedReplay;
  /** A fresh session context on `date` (default SESSION), with a new book and state unless given. */
  context(options?: { date?: SessionDate; ledger?: Ledger }): SessionContext;
  close(): Promise<void>;
}

/**
 * A replay wired as the engine runs it (store, simulated venue, artifacts, notifier) over flat synthetic prices of
 * AAA and BBB, from which a test builds one session's context and calls a stage by hand.
 */
export function stageRig(
  options: {
    overrides?: Record<string, string>;
    strategies?: { name: string; id?: string; params?: Record<string, unknown> }[];
    symbols?: string[];
    /** Price paths other than flat: e.g. `{ volatility: 0.2, correlation: 1 }` for symbols that move together. */
    paths?: { volatility?: number; correlation?: number };
  } = {},
): StageRig {
  const symbols = options.symbols ?? ["AAA", "BBB"];
  const bars = generateSyntheticBars({ symbols, from: "2020-01-02", to: "2021-06-30", calendar: nyseCalendar, seed: "stages", volatility: 0, drift: 0, jumpIntensity: 0, ...options.paths });
  const job = prepareReplay({
    bars, dataLabel: "stage-rig", seed: 1, outDir: tempDir("stage"), from: SESSION, to: "2021-06-30", twin: false,
    strategies: options.strategies ?? [
      { name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA" } },
      { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB" } },
    ],
    config: configWith({ INITIAL_CAPITAL: String(CAPITAL), ...options.overrides }),
  });
  return {
    job,
    context({ date = SESSION, ledger = new Ledger(CAPITAL) } = {}) {
      return newSessionContext(job.deps, initialEngineState(CAPITAL), ledger, date, bars.indexOf(date));
    },
    close: () => job.close(),
  };
}

/** The events a stage queued, as type, reason and detail. */
export function eventsOf(ctx: SessionContext): { type: string; reason: string; detail: string }[] {
  return ctx.events.map(({ type, reason, detail }) => ({ type, reason, detail }));
}


/** An artifact sink that keeps what the stages wrote and each cutoff they deleted before. */
export function capturingArtifacts(): ArtifactSink & { written: { kind: string; date: string; payload: Record<string, unknown> }[]; cutoffs: string[] } {
  const written: { kind: string; date: string; payload: Record<string, unknown> }[] = [];
  const cutoffs: string[] = [];
  return {
    written,
    cutoffs,
    write(kind, date, payload) {
      written.push({ kind, date, payload });
      return JSON.stringify(payload);
    },
    deleteBefore(cutoff) {
      cutoffs.push(cutoff);
      return 0;
    },
  };
}

/** A notifier that keeps each alert and answers with `result` (delivered via the outbox unless told). */
export function capturingNotifier(result: NotifyResult = { delivered: true, via: "outbox", id: "mail-1" }): Notifier & { sent: Alert[] } {
  const sent: Alert[] = [];
  return {
    sent,
    async send(alert) {
      sent.push(alert);
      return result;
    },
    async close() {},
  };
}

/** An order as a venue answers it: accepted and open unless `fields` say otherwise. */
export function venueOrder(request: { clientOrderId: string; symbol: string; side: "buy" | "sell"; notional?: number; qty?: number }, fields: Partial<Order> = {}): Order {
  return {
    id: `id-${request.clientOrderId}`, clientOrderId: request.clientOrderId, symbol: request.symbol, side: request.side, type: "market", timeInForce: "day",
    qty: request.qty ?? null, notional: request.notional ?? null, limitPrice: null, status: "new", filledQty: 0, filledAvgPrice: null, commission: 0,
    submittedAt: 0, filledAt: null, reason: null, ...fields,
  };
}

/**
 * A broker whose answers a test chooses: `submit` answers each order (default: accepted), `read` each read-back by
 * client order id (default: none), `cancel` each cancel (default: fine). Every call is logged.
 */
export function scriptedBroker(script: {
  submit?: (request: OrderRequest) => Order;
  read?: (clientOrderId: string) => Order | null;
  cancel?: (orderId: string) => void;
} = {}): Broker & { calls: string[] } {
  const calls: string[] = [];
  const unused = (name: string) => async (): Promise<never> => {
    throw new Error(`${name} is not scripted`);
  };
  return {
    mode: "paper",
    calls,
    async submitOrder(request) {
      calls.push(`submit ${request.clientOrderId}`);
      return (script.submit ?? ((r) => venueOrder(r)))(request);
    },
    async getOrderByClientOrderId(clientOrderId) {
      calls.push(`read ${clientOrderId}`);
      return script.read ? script.read(clientOrderId) : null;
    },
    async cancelOrder(orderId) {
      calls.push(`cancel ${orderId}`);
      script.cancel?.(orderId);
    },
    getAccount: unused("getAccount"),
    getPositions: unused("getPositions"),
    listOrders: unused("listOrders"),
    closeAllPositions: unused("closeAllPositions"),
    getClock: unused("getClock"),
    getCalendar: unused("getCalendar"),
  };
}

/** One execution as the trade list folds it: who, what, at which price, and why it was ordered. */
export interface TradeFill {
  strategyId: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  price: number;
  commission: number;
  session: string;
  /** The order's reason code (ENTRY, EXIT, PANIC_FLATTEN, …). */
  reason: string;
}

/** One round trip of one strategy in one symbol, from flat to flat; `exitReason` OPEN when still held. */
export interface Trade {
  strategy: string;
  symbol: string;
  entryDate: string;
  entryPrice: number;
  exitDate: string;
  exitPrice: number;
  /** Largest quantity held during the trip. */
  qty: number;
  /** Realised P&L at average cost (plus the open remainder marked at the last close) minus every commission of the trip. */
  pnl: number;
  /** pnl ÷ the money the trip's buys cost. */
  pnlPct: number;
  holdingSessions: number;
  exitReason: string;
}

export const TRADES_HEADER = "strategy,symbol,entry_date,entry_price,exit_date,exit_price,qty,pnl,pnl_pct,holding_sessions,exit_reason";

/** Quantities below this are flat (the ledger keeps 9 decimals). */
const FLAT = 1e-9;

interface OpenTrip {
  entryDate: string;
  qty: number;
  cost: number;
  maxQty: number;
  buyQty: number;
  buyValue: number;
  sellQty: number;
  sellValue: number;
  realized: number;
  commissions: number;
}

/**
 * Folds fills (oldest first) into round trips: adds and partial exits fold in at average cost, as the
 * ledger books them. A trip still open at the end is marked at `markOf(symbol)` on `lastSession`.
 */
export function roundTrips(fills: readonly TradeFill[], markOf: (symbol: string) => number, lastSession: string, sessionIndex: (date: string) => number): Trade[] {
  const open = new Map<string, OpenTrip>();
  const trades: Trade[] = [];
  for (const fill of fills) {
    const key = `${fill.strategyId}\u0000${fill.symbol}`;
    const trip = open.get(key) ?? newTrip(fill.session);
    open.set(key, trip);
    trip.commissions += fill.commission;
    if (fill.side === "buy") {
      trip.qty += fill.qty;
      trip.cost += fill.qty * fill.price;
      trip.buyQty += fill.qty;
      trip.buyValue += fill.qty * fill.price;
      trip.maxQty = Math.max(trip.maxQty, trip.qty);
      continue;
    }
    const qty = Math.min(fill.qty, trip.qty);
    const averageCost = trip.qty > 0 ? trip.cost / trip.qty : 0;
    trip.realized += qty * (fill.price - averageCost);
    trip.cost -= qty * averageCost;
    trip.qty -= qty;
    trip.sellQty += qty;
    trip.sellValue += qty * fill.price;
    if (trip.qty > FLAT) continue;
    trades.push(closeTrip(fill.strategyId, fill.symbol, trip, { date: fill.session, reason: fill.reason, openValue: 0 }, sessionIndex));
    open.delete(key);
  }
  for (const [key, trip] of open) {
    if (trip.qty <= FLAT) continue;
    const [strategy, symbol] = key.split("\u0000");
    const mark = markOf(symbol);
    trades.push(closeTrip(strategy, symbol, trip, { date: lastSession, reason: "OPEN", openValue: trip.qty * mark, mark }, sessionIndex));
  }
  return trades.sort((a, b) => compare(a.entryDate, b.entryDate) || compare(a.strategy, b.strategy) || compare(a.symbol, b.symbol));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newTrip(entryDate: string): OpenTrip {
  return { entryDate, qty: 0, cost: 0, maxQty: 0, buyQty: 0, buyValue: 0, sellQty: 0, sellValue: 0, realized: 0, commissions: 0 };
}

function closeTrip(
  strategy: string, symbol: string, trip: OpenTrip,
  exit: { date: string; reason: string; openValue: number; mark?: number }, sessionIndex: (date: string) => number,
): Trade {
  const unrealized = exit.openValue - trip.cost;
  const pnl = trip.realized + (exit.reason === "OPEN" ? unrealized : 0) - trip.commissions;
  // An open trip's exit price is its mark; a closed one's the average price its sells got.
  const exitPrice = exit.mark ?? (trip.sellQty > 0 ? trip.sellValue / trip.sellQty : 0);
  return {
    strategy, symbol,
    entryDate: trip.entryDate,
    entryPrice: trip.buyQty > 0 ? trip.buyValue / trip.buyQty : 0,
    exitDate: exit.date,
    exitPrice,
    qty: trip.maxQty,
    pnl,
    pnlPct: trip.buyValue > 0 ? pnl / trip.buyValue : 0,
    holdingSessions: Math.max(0, sessionIndex(exit.date) - sessionIndex(trip.entryDate)),
    exitReason: exit.reason,
  };
}

/** trades.csv: one row per round trip (header TRADES_HEADER); money to cents, prices to 4 decimals. */
export function tradesCsv(trades: readonly Trade[]): string {
  const rows = trades.map((trade) =>
    [
      trade.strategy, trade.symbol, trade.entryDate, trade.entryPrice.toFixed(4), trade.exitDate, trade.exitPrice.toFixed(4),
      Number(trade.qty.toFixed(9)), trade.pnl.toFixed(2), trade.pnlPct.toFixed(6), trade.holdingSessions, trade.exitReason,
    ].join(","),
  );
  return `${[TRADES_HEADER, ...rows].join("\n")}\n`;
}

/** Parses trades.csv back. */
export function parseTrades(csv: string): Trade[] {
  const [, ...lines] = csv.trimEnd().split("\n");
  return lines.filter((line) => line !== "").map((line) => {
    const [strategy, symbol, entryDate, entryPrice, exitDate, exitPrice, qty, pnl, pnlPct, holdingSessions, exitReason] = line.split(",");
    return {
      strategy, symbol, entryDate, exitDate, exitReason,
      entryPrice: Number(entryPrice), exitPrice: Number(exitPrice), qty: Number(qty), pnl: Number(pnl), pnlPct: Number(pnlPct), holdingSessions: Number(holdingSessions),
    };
  });
}

/**
 * Whipsaw cost of a run's panic exits: for each PANIC_FLATTEN exit, what buying the same quantity back at the
 * strategy's next entry price cost more than the panic sale brought (negative when it bought back cheaper).
 */
export function whipsawCost(trades: readonly Trade[]): { dollars: number; episodes: number } {
  let dollars = 0;
  let episodes = 0;
  trades.forEach((trade) => {
    if (trade.exitReason !== "PANIC_FLATTEN") return;
    // Trades are sorted by entry date, so the first later entry of the same strategy and symbol is the buy-back.
    const next = trades.find((later) => later !== trade && later.strategy === trade.strategy && later.symbol === trade.symbol && later.entryDate >= trade.exitDate);
    if (!next) return;
    dollars += (next.entryPrice - trade.exitPrice) * trade.qty;
    episodes += 1;
  });
  return { dollars, episodes };
}

/** Share of `dates` (session closes) at which some trade was held: entered by that close and not yet exited. */
export function exposure(trades: readonly Trade[], dates: readonly string[]): number {
  if (dates.length === 0) return 0;
  const held = dates.filter((date) => trades.some((trade) => trade.entryDate <= date && (trade.exitReason === "OPEN" ? date <= trade.exitDate : date < trade.exitDate)));
  return held.length / dates.length;
}

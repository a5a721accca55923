import { isZeroQty, roundCents, roundQty } from "./money.js";

export type FillSide = "buy" | "sell";

/** One execution to book: `qty` shares at `price`, charged `commission` dollars (default 0). */
export interface Fill {
  strategyId: string;
  symbol: string;
  side: FillSide;
  qty: number;
  price: number;
  commission?: number;
}

/** What a fill did to the books. */
export interface AppliedFill {
  /** Signed cash movement: −(value + commission) for a buy, value − commission for a sell. */
  cashDelta: number;
  /** Realized P&L of a sell (0 for a buy), before commission. */
  realizedPnl: number;
}

/** One strategy's holding of one symbol, with its history. */
export interface LedgerPosition {
  strategyId: string;
  symbol: string;
  qty: number;
  /** Dollars paid for the shares still held (average-cost method). */
  costBasis: number;
  /** costBasis / qty, or 0 when flat. */
  avgCost: number;
  realizedPnl: number;
  commissions: number;
  /** Net cash this holding has moved in and out of the account. */
  cashFlow: number;
}

/** The ledger as plain JSON, for persistence; `Ledger.fromSnapshot` restores it exactly. */
export interface LedgerSnapshot {
  version: 1;
  initialCash: number;
  cash: number;
  holdings: HoldingRecord[];
}

type HoldingRecord = Omit<LedgerPosition, "avgCost">;
type Holding = Omit<HoldingRecord, "strategyId" | "symbol">;

/** Last price of a symbol, used to mark positions. */
export type PriceOf = (symbol: string) => number;

/**
 * Cash and positions per (strategy, symbol), average-cost method. Every booked amount is whole cents, so
 * realized + unrealized − commissions, summed over strategies, equals equity − initial cash exactly
 * (up to float noise). Both the simulated broker's book and the engine's own book are Ledgers.
 */
export class Ledger {
  readonly initialCash: number;
  private cashBalance: number;
  /** strategyId → symbol → holding; flat holdings stay to keep their realized P&L and commissions. */
  private readonly books = new Map<string, Map<string, Holding>>();

  constructor(initialCash: number) {
    this.initialCash = roundCents(initialCash);
    this.cashBalance = this.initialCash;
  }

  get cash(): number {
    return this.cashBalance;
  }

  /** Books a fill; throws, changing nothing, on a bad fill or a sell of more than the strategy holds. */
  applyFill(fill: Fill): AppliedFill {
    const { qty, price, commission } = checkedFill(fill);
    const value = roundCents(qty * price);
    if (fill.side === "buy") {
      const holding = this.holding(fill.strategyId, fill.symbol);
      holding.qty = roundQty(holding.qty + qty);
      holding.costBasis = roundCents(holding.costBasis + value);
      return this.book(holding, -(value + commission), 0, commission);
    }
    const holding = this.existing(fill.strategyId, fill.symbol);
    const released = this.release(holding, qty, fill);
    return this.book(holding, value - commission, roundCents(value - released), commission);
  }

  /**
   * Changes holdings outside of trading (reconciliation fixes, fault injection): no cash moves and no P&L is
   * realized. Added shares cost `costPrice` each (0 allowed); removed ones leave at average cost. This breaks
   * the fill-only identity between P&L and equity on purpose: the shares did not come from a trade.
   */
  adjustPosition(strategyId: string, symbol: string, qtyDelta: number, costPrice: number): void {
    const delta = roundQty(qtyDelta);
    if (delta < 0) {
      this.release(this.existing(strategyId, symbol), -delta, { strategyId, symbol });
      return;
    }
    if (!(Number.isFinite(costPrice) && costPrice >= 0)) {
      throw new RangeError(`costPrice must be a number >= 0, got ${costPrice}`);
    }
    const holding = this.holding(strategyId, symbol);
    holding.qty = roundQty(holding.qty + delta);
    holding.costBasis = roundCents(holding.costBasis + delta * costPrice);
  }

  position(strategyId: string, symbol: string): LedgerPosition {
    return view(strategyId, symbol, this.existing(strategyId, symbol));
  }

  /** Every non-flat position (of one strategy, when given), by strategy then symbol in booking order. */
  positions(strategyId?: string): LedgerPosition[] {
    const positions: LedgerPosition[] = [];
    this.eachHolding(strategyId, (id, symbol, holding) => holding.qty > 0 && positions.push(view(id, symbol, holding)));
    return positions;
  }

  strategyIds(): string[] {
    return [...this.books.keys()];
  }

  /** Shares held per symbol, summed over strategies; flat symbols are left out. */
  qtyBySymbol(): Map<string, number> {
    const totals = new Map<string, number>();
    this.eachHolding(undefined, (_, symbol, { qty }) => qty > 0 && totals.set(symbol, roundQty((totals.get(symbol) ?? 0) + qty)));
    return totals;
  }

  /** Σ qty × price over every position (a mark, not rounded to cents). */
  marketValue(priceOf: PriceOf, strategyId?: string): number {
    let sum = 0;
    this.eachHolding(strategyId, (_, symbol, { qty }) => {
      if (qty > 0) sum += qty * markPrice(priceOf, symbol);
    });
    return sum;
  }

  equity(priceOf: PriceOf): number {
    return this.cashBalance + this.marketValue(priceOf);
  }

  unrealizedPnl(strategyId: string, priceOf: PriceOf): number {
    return this.marketValue(priceOf, strategyId) - this.sum(strategyId, "costBasis");
  }

  realizedPnl(strategyId: string): number {
    return this.sum(strategyId, "realizedPnl");
  }

  commissions(strategyId: string): number {
    return this.sum(strategyId, "commissions");
  }

  /** Net cash the strategy's fills moved (negative while it is invested). */
  cashFlow(strategyId: string): number {
    return this.sum(strategyId, "cashFlow");
  }

  /** realized + unrealized − commissions: the strategy's whole contribution to equity. */
  strategyPnl(strategyId: string, priceOf: PriceOf): number {
    return this.realizedPnl(strategyId) + this.unrealizedPnl(strategyId, priceOf) - this.commissions(strategyId);
  }

  snapshot(): LedgerSnapshot {
    return { version: 1, initialCash: this.initialCash, cash: this.cashBalance, holdings: this.records() };
  }

  /** Restores a `snapshot()` (e.g. after JSON.parse); throws on anything else. */
  static fromSnapshot(json: unknown): Ledger {
    const snapshot = checkedSnapshot(json);
    const ledger = new Ledger(snapshot.initialCash);
    ledger.cashBalance = snapshot.cash;
    for (const { strategyId, symbol, qty, costBasis, realizedPnl, commissions, cashFlow } of snapshot.holdings) {
      Object.assign(ledger.holding(strategyId, symbol), { qty, costBasis, realizedPnl, commissions, cashFlow });
    }
    return ledger;
  }

  private book(holding: Holding, cashDelta: number, realizedPnl: number, commission: number): AppliedFill {
    const delta = roundCents(cashDelta);
    holding.realizedPnl = roundCents(holding.realizedPnl + realizedPnl);
    holding.commissions = roundCents(holding.commissions + commission);
    holding.cashFlow = roundCents(holding.cashFlow + delta);
    this.cashBalance = roundCents(this.cashBalance + delta);
    return { cashDelta: delta, realizedPnl };
  }

  /** Removes `qty` shares at average cost and returns the cost basis they take with them. */
  private release(holding: Holding, qty: number, where: { strategyId: string; symbol: string }): number {
    const remaining = roundQty(holding.qty - qty);
    if (remaining < 0) {
      throw new Error(
        `strategy ${where.strategyId} cannot sell ${qty} ${where.symbol}: holds ${holding.qty} (no shorting)`,
      );
    }
    const released = isZeroQty(remaining) ? holding.costBasis : roundCents((holding.costBasis * qty) / holding.qty);
    holding.qty = remaining;
    holding.costBasis = roundCents(holding.costBasis - released);
    return released;
  }

  /** The holding if one was ever booked, else a detached empty one (so failed sells leave no trace). */
  private existing(strategyId: string, symbol: string): Holding {
    return this.books.get(strategyId)?.get(symbol) ?? emptyHolding();
  }

  private holding(strategyId: string, symbol: string): Holding {
    let book = this.books.get(strategyId);
    if (!book) this.books.set(strategyId, (book = new Map()));
    let holding = book.get(symbol);
    if (!holding) book.set(symbol, (holding = emptyHolding()));
    return holding;
  }

  private records(): HoldingRecord[] {
    const records: HoldingRecord[] = [];
    this.eachHolding(undefined, (id, symbol, holding) => records.push({ strategyId: id, symbol, ...holding }));
    return records;
  }

  /**
   * Visits every holding (of one strategy, when given), by strategy then symbol in booking order. Nothing is
   * copied: the sums run every session over every symbol ever traded.
   */
  private eachHolding(strategyId: string | undefined, visit: (strategyId: string, symbol: string, holding: Holding) => void): void {
    for (const [id, book] of this.books) {
      if (strategyId !== undefined && id !== strategyId) continue;
      for (const [symbol, holding] of book) visit(id, symbol, holding);
    }
  }

  private sum(strategyId: string, field: "costBasis" | "realizedPnl" | "commissions" | "cashFlow"): number {
    let total = 0;
    this.eachHolding(strategyId, (_, __, holding) => (total += holding[field]));
    return roundCents(total);
  }
}

function emptyHolding(): Holding {
  return { qty: 0, costBasis: 0, realizedPnl: 0, commissions: 0, cashFlow: 0 };
}

function view(strategyId: string, symbol: string, holding: Holding): LedgerPosition {
  const { qty, costBasis, realizedPnl, commissions, cashFlow } = holding;
  const avgCost = qty > 0 ? costBasis / qty : 0;
  return { strategyId, symbol, qty, costBasis, avgCost, realizedPnl, commissions, cashFlow };
}

function checkedFill(fill: Fill): { qty: number; price: number; commission: number } {
  const qty = roundQty(requirePositive(fill.qty, "fill qty"));
  if (qty === 0) throw new RangeError(`fill qty ${fill.qty} rounds to zero shares`);
  const commission = roundCents(fill.commission ?? 0);
  if (commission < 0) throw new RangeError(`commission must not be negative, got ${fill.commission}`);
  return { qty, price: requirePositive(fill.price, "fill price"), commission };
}

function requirePositive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function markPrice(priceOf: PriceOf, symbol: string): number {
  const price = priceOf(symbol);
  if (!Number.isFinite(price)) throw new RangeError(`no price to mark ${symbol}: got ${price}`);
  return price;
}

const HOLDING_NUMBERS = ["qty", "costBasis", "realizedPnl", "commissions", "cashFlow"] as const;

function checkedSnapshot(json: unknown): LedgerSnapshot {
  const snapshot = json as Partial<LedgerSnapshot> | null;
  const isHolding = (h: Partial<HoldingRecord> | null) =>
    typeof h?.strategyId === "string" &&
    typeof h.symbol === "string" &&
    HOLDING_NUMBERS.every((field) => Number.isFinite(h[field]));
  const valid =
    snapshot?.version === 1 &&
    Number.isFinite(snapshot.initialCash) &&
    Number.isFinite(snapshot.cash) &&
    Array.isArray(snapshot.holdings) &&
    snapshot.holdings.every(isHolding);
  if (!valid) throw new Error("not a ledger snapshot (version 1)");
  return snapshot as LedgerSnapshot;
}

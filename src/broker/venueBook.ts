import { isZeroQty, roundCents, roundQty } from "../portfolio/index.js";

/** One position at the venue: shares and the dollars paid for them. */
export interface VenuePosition {
  symbol: string;
  qty: number;
  costBasis: number;
}

/** The venue book as plain JSON. */
export interface VenueBookSnapshot {
  cash: number;
  positions: VenuePosition[];
}

/**
 * The simulated venue's own account: cash and one position per symbol, average cost, whole cents. It is kept
 * apart from the engine's Ledger on purpose, so reconciliation compares two independent books and a bug in
 * either shows up as drift.
 */
export class VenueBook {
  private cashBalance: number;
  private readonly held = new Map<string, { qty: number; costBasis: number }>();

  constructor(cash: number) {
    this.cashBalance = roundCents(cash);
  }

  static fromSnapshot(snapshot: VenueBookSnapshot): VenueBook {
    const book = new VenueBook(snapshot.cash);
    for (const { symbol, qty, costBasis } of snapshot.positions) book.held.set(symbol, { qty, costBasis });
    return book;
  }

  snapshot(): VenueBookSnapshot {
    return { cash: this.cashBalance, positions: this.positions() };
  }

  get cash(): number {
    return this.cashBalance;
  }

  qtyOf(symbol: string): number {
    return this.held.get(symbol)?.qty ?? 0;
  }

  /** Dollars per share paid for what is held, 0 when flat. */
  avgCostOf(symbol: string): number {
    const position = this.held.get(symbol);
    return position && position.qty > 0 ? position.costBasis / position.qty : 0;
  }

  /** Non-flat positions, sorted by symbol. */
  positions(): VenuePosition[] {
    return [...this.held]
      .filter(([, position]) => position.qty > 0)
      .map(([symbol, position]) => ({ symbol, ...position }))
      .sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  }

  /** Cash plus every position at `priceOf` (a mark, not rounded). */
  equity(priceOf: (symbol: string) => number): number {
    return this.positions().reduce((sum, position) => sum + position.qty * priceOf(position.symbol), this.cashBalance);
  }

  /** Books an execution: cash moves by the value in whole cents, plus the commission. */
  fill(side: "buy" | "sell", symbol: string, qty: number, price: number, commission: number): void {
    const value = roundCents(qty * price);
    if (side === "buy") {
      this.add(symbol, qty, value);
      this.cashBalance = roundCents(this.cashBalance - value - commission);
      return;
    }
    this.remove(symbol, qty);
    this.cashBalance = roundCents(this.cashBalance + value - commission);
  }

  /** Moves shares in or out without cash (reconciliation drift): added shares cost `costPrice` each. */
  adjust(symbol: string, qtyDelta: number, costPrice: number): void {
    const delta = roundQty(qtyDelta);
    if (delta < 0) this.remove(symbol, -delta);
    else this.add(symbol, delta, roundCents(delta * costPrice));
  }

  private add(symbol: string, qty: number, cost: number): void {
    const position = this.held.get(symbol) ?? { qty: 0, costBasis: 0 };
    this.held.set(symbol, { qty: roundQty(position.qty + qty), costBasis: roundCents(position.costBasis + cost) });
  }

  /** Takes shares out at average cost; the venue never lets a position go short. */
  private remove(symbol: string, qty: number): void {
    const position = this.held.get(symbol);
    if (!position || qty > position.qty) throw new RangeError(`cannot remove ${qty} ${symbol}: ${position?.qty ?? 0} held`);
    const remaining = roundQty(position.qty - qty);
    const costBasis = isZeroQty(remaining) ? 0 : roundCents(position.costBasis - (position.costBasis * qty) / position.qty);
    this.held.set(symbol, { qty: isZeroQty(remaining) ? 0 : remaining, costBasis });
  }
}

import { describe, expect, it } from "vitest";
import { exposure, parseTrades, roundTrips, tradesCsv, whipsawCost, type TradeFill } from "../../src/report/trades.js";

const DATES = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"];
const indexOf = (date: string) => DATES.indexOf(date);

function fill(session: string, side: "buy" | "sell", qty: number, price: number, reason: string, commission = 0): TradeFill {
  return { strategyId: "s", symbol: "AAA", side, qty, price, commission, session, reason };
}

describe("round trips from fills", () => {
  it("folds an add and a partial exit in at average cost, from flat to flat", () => {
    const fills = [
      fill(DATES[0], "buy", 10, 100, "ENTRY", 1),
      fill(DATES[1], "buy", 10, 110, "ENTRY", 1), // average cost 105
      fill(DATES[2], "sell", 5, 120, "EXIT", 1), // +75
      fill(DATES[3], "sell", 15, 90, "PANIC_FLATTEN", 1), // −225
    ];

    const [trade] = roundTrips(fills, () => 0, DATES[5], indexOf);

    expect(trade).toMatchObject({ entryDate: DATES[0], exitDate: DATES[3], qty: 20, holdingSessions: 3, exitReason: "PANIC_FLATTEN" });
    expect(trade.entryPrice).toBeCloseTo(105, 9);
    expect(trade.exitPrice).toBeCloseTo((5 * 120 + 15 * 90) / 20, 9);
    expect(trade.pnl).toBeCloseTo(75 - 225 - 4, 9);
    expect(trade.pnlPct).toBeCloseTo(-154 / 2100, 9);
  });

  it("leaves a position still held as an OPEN row marked at the last close", () => {
    const fills = [fill(DATES[0], "buy", 2, 50, "ENTRY"), fill(DATES[1], "sell", 2, 55, "EXIT"), fill(DATES[2], "buy", 4, 60, "ENTRY")];

    const trades = roundTrips(fills, () => 63, DATES[5], indexOf);

    expect(trades.map((trade) => [trade.entryDate, trade.exitDate, trade.exitReason, trade.pnl])).toEqual([
      [DATES[0], DATES[1], "EXIT", 10],
      [DATES[2], DATES[5], "OPEN", 12],
    ]);
    expect(trades[1].exitPrice).toBe(63);
  });

  it("prices the whipsaw: a panic sale at 90 bought back at 95 costs 5 a share", () => {
    const fills = [fill(DATES[0], "buy", 3, 100, "ENTRY"), fill(DATES[1], "sell", 3, 90, "PANIC_FLATTEN"), fill(DATES[3], "buy", 3, 95, "ENTRY")];

    const trades = roundTrips(fills, () => 95, DATES[5], indexOf);

    expect(whipsawCost(trades)).toEqual({ dollars: 15, episodes: 1 });
  });

  it("counts the sessions closed holding something, and reads back what it writes", () => {
    const trades = roundTrips([fill(DATES[1], "buy", 1, 10, "ENTRY"), fill(DATES[3], "sell", 1, 11, "EXIT")], () => 0, DATES[5], indexOf);

    // Held at the closes of the entry session and the one after; sold at the open of the exit session.
    expect(exposure(trades, DATES)).toBeCloseTo(2 / 6, 12);
    expect(parseTrades(tradesCsv(trades))).toEqual(trades.map((trade) => ({ ...trade, pnlPct: Number(trade.pnlPct.toFixed(6)) })));
  });
});

import { describe, expect, it } from "vitest";
import { dailyOrdersDecision, hardCaps, positionRoom } from "../../src/safety/index.js";
import { configWith } from "../engine/fixtures.js";

describe("hardCaps", () => {
  it("lists every cap with its value and says which are off", () => {
    const caps = hardCaps({ MAX_ORDER_NOTIONAL: 250, MAX_DAILY_ORDERS: 0, MAX_POSITION_PCT: 0.2 });

    expect(caps.map(({ key, value, off }) => ({ key, value, off }))).toEqual([
      { key: "MAX_ORDER_NOTIONAL", value: 250, off: false },
      { key: "MAX_DAILY_ORDERS", value: 0, off: true },
      { key: "MAX_POSITION_PCT", value: 0.2, off: false },
    ]);
    expect(caps.every((cap) => cap.limits.length > 0)).toBe(true);
  });

  it("reads a resolved configuration, where every cap is off by default", () => {
    expect(hardCaps(configWith()).map((cap) => cap.off)).toEqual([true, true, true]);
    expect(hardCaps(configWith({ MAX_DAILY_ORDERS: "5" })).find((cap) => cap.key === "MAX_DAILY_ORDERS")).toMatchObject({ value: 5, off: false });
  });
});

describe("dailyOrdersDecision", () => {
  it("denies an entry once the session's orders reach the cap, and never when the cap is off", () => {
    expect(dailyOrdersDecision(2, 3)).toEqual({ kind: "allow" });
    expect(dailyOrdersDecision(3, 3)).toEqual({ kind: "deny", code: "MAX_DAILY_ORDERS", detail: "orders=3 max=3" });
    expect(dailyOrdersDecision(500, 0)).toEqual({ kind: "allow" });
  });
});

describe("positionRoom", () => {
  it("is the cap's share of equity less what the symbol already holds, never below zero", () => {
    expect(positionRoom(0.25, 1000, 100)).toBe(150);
    expect(positionRoom(0.25, 1000, 400)).toBe(0);
    expect(positionRoom(0, 1000, 400)).toBe(Number.POSITIVE_INFINITY);
  });
});

import { describe, it, expect } from "vitest";
import { SimulatedClock, assertSessionDate, sessionDateOf } from "../../src/clock/index.js";

const utc = (iso: string): number => Date.parse(iso);

describe("SimulatedClock", () => {
  it("reports its start time until told to move", () => {
    const clock = new SimulatedClock(utc("2020-01-02T14:30:00Z"));

    const readings = [clock.now(), clock.now()];

    expect(readings).toEqual([utc("2020-01-02T14:30:00Z"), utc("2020-01-02T14:30:00Z")]);
  });

  it("moves forward to the requested time", () => {
    const clock = new SimulatedClock(utc("2020-01-02T14:30:00Z"));

    clock.advanceTo(utc("2020-01-02T21:00:00Z"));

    expect(clock.now()).toBe(utc("2020-01-02T21:00:00Z"));
  });

  it("allows advancing to the current time", () => {
    const clock = new SimulatedClock(1_000);

    clock.advanceTo(1_000);

    expect(clock.now()).toBe(1_000);
  });

  it("refuses to go backwards and keeps its time", () => {
    const clock = new SimulatedClock(utc("2020-01-02T21:00:00Z"));

    expect(() => clock.advanceTo(utc("2020-01-02T14:30:00Z"))).toThrow(/cannot move backwards/);
    expect(clock.now()).toBe(utc("2020-01-02T21:00:00Z"));
  });

  it("refuses a non-finite time", () => {
    expect(() => new SimulatedClock(Number.NaN)).toThrow(/finite/);
    expect(() => new SimulatedClock(0).advanceTo(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});

describe("sessionDateOf", () => {
  it.each([
    ["2020-01-02T04:59:59Z", "2020-01-01", "before midnight Eastern Standard Time"],
    ["2020-01-02T05:00:00Z", "2020-01-02", "at midnight Eastern Standard Time"],
    ["2020-07-01T03:59:59Z", "2020-06-30", "before midnight Eastern Daylight Time"],
    ["2020-07-01T04:00:00Z", "2020-07-01", "at midnight Eastern Daylight Time"],
    ["2020-03-08T06:59:59Z", "2020-03-08", "just before clocks spring forward"],
    ["2020-11-01T05:30:00Z", "2020-11-01", "in the repeated hour when clocks fall back"],
    ["2006-04-02T04:59:59Z", "2006-04-01", "before the 1987-rule spring switch"],
  ])("maps %s to %s (%s)", (instant, expected) => {
    expect(sessionDateOf(utc(instant))).toBe(expected);
  });
});

describe("assertSessionDate", () => {
  it("returns a valid date unchanged", () => {
    expect(assertSessionDate("2020-02-29", "start")).toBe("2020-02-29");
  });

  it.each(["2021-02-29", "2020/01/02", "2020-01-02T00:00", "tomorrow"])("rejects '%s' naming what and the value", (bad) => {
    expect(() => assertSessionDate(bad, "scenario start")).toThrow(`scenario start: expected a date YYYY-MM-DD, got '${bad}'`);
  });
});

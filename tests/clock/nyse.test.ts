import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { nyseCalendar } from "../../src/clock/index.js";

const utc = (iso: string): number => Date.parse(iso);

describe("nyseCalendar holidays", () => {
  it.each([
    ["2020-01-01", "New Year's Day"],
    ["2017-01-02", "New Year's Day on a Sunday, observed Monday"],
    ["2020-01-20", "Martin Luther King Jr. Day"],
    ["2020-02-17", "Washington's Birthday"],
    ["2020-04-10", "Good Friday"],
    ["2000-04-21", "Good Friday"],
    ["2020-05-25", "Memorial Day"],
    ["2022-06-20", "Juneteenth on a Sunday, observed Monday"],
    ["2023-06-19", "Juneteenth"],
    ["2027-06-18", "Juneteenth on a Saturday, observed Friday"],
    ["2020-07-03", "Independence Day on a Saturday, observed Friday"],
    ["2021-07-05", "Independence Day on a Sunday, observed Monday"],
    ["2020-09-07", "Labor Day"],
    ["2020-11-26", "Thanksgiving"],
    ["2020-12-25", "Christmas"],
    ["2021-12-24", "Christmas on a Saturday, observed Friday"],
    ["2022-12-26", "Christmas on a Sunday, observed Monday"],
  ])("is closed on %s (%s)", (date) => {
    expect(nyseCalendar.isSession(date)).toBe(false);
  });

  it.each([
    ["2021-12-31", "New Year's Day on a Saturday is not moved back to Friday"],
    ["1997-01-20", "MLK Day was not a holiday before 1998"],
    ["2021-06-18", "Juneteenth was not a holiday before 2022"],
    ["2020-01-02", "an ordinary Thursday"],
  ])("is open on %s (%s)", (date) => {
    expect(nyseCalendar.isSession(date)).toBe(true);
  });

  it("is closed on weekends", () => {
    expect(nyseCalendar.isSession("2020-06-06")).toBe(false);
    expect(nyseCalendar.isSession("2020-06-07")).toBe(false);
  });

  it.each([
    "1994-04-27",
    "2001-09-11",
    "2001-09-12",
    "2001-09-13",
    "2001-09-14",
    "2004-06-11",
    "2007-01-02",
    "2012-10-29",
    "2012-10-30",
    "2018-12-05",
    "2025-01-09",
  ])("is closed on the special closure %s", (date) => {
    expect(nyseCalendar.isSession(date)).toBe(false);
  });
});

describe("nyseCalendar early closes", () => {
  it.each([
    ["2019-07-03", "the Wednesday before Independence Day"],
    ["2020-11-27", "the day after Thanksgiving"],
    ["2018-12-24", "Christmas Eve on a Monday"],
    ["2013-07-03", "a Wednesday July 3 from 2013"],
    ["2002-07-05", "the Friday after a Thursday Independence Day before 2013"],
  ])("closes early on %s (%s)", (date) => {
    expect(nyseCalendar.isEarlyClose(date)).toBe(true);
  });

  it.each([
    ["2002-07-03", "a Wednesday July 3 before 2013"],
    ["2020-07-02", "the Thursday before an observed Friday Independence Day"],
    ["2021-12-23", "the Thursday before an observed Friday Christmas"],
    ["2010-07-03", "a Saturday"],
    ["2020-07-01", "an ordinary Wednesday"],
  ])("keeps regular hours on %s (%s)", (date) => {
    expect(nyseCalendar.isEarlyClose(date)).toBe(false);
  });

  it("closes at 13:00 New York time on an early close", () => {
    expect(nyseCalendar.closeTime("2019-11-29")).toBe(utc("2019-11-29T18:00:00Z"));
    expect(nyseCalendar.closeTime("2019-07-03")).toBe(utc("2019-07-03T17:00:00Z"));
  });
});

describe("nyseCalendar open and close times", () => {
  it("opens at 09:30 Eastern Standard Time in winter", () => {
    expect(nyseCalendar.openTime("2020-01-02")).toBe(utc("2020-01-02T14:30:00Z"));
    expect(nyseCalendar.closeTime("2020-01-02")).toBe(utc("2020-01-02T21:00:00Z"));
  });

  it("opens at 09:30 Eastern Daylight Time in summer", () => {
    expect(nyseCalendar.openTime("2020-07-01")).toBe(utc("2020-07-01T13:30:00Z"));
    expect(nyseCalendar.closeTime("2020-07-01")).toBe(utc("2020-07-01T20:00:00Z"));
  });

  it.each([
    ["2020-03-06", "2020-03-06T14:30:00Z", "Friday before the second Sunday of March"],
    ["2020-03-09", "2020-03-09T13:30:00Z", "Monday after the second Sunday of March"],
    ["2020-10-30", "2020-10-30T13:30:00Z", "Friday before the first Sunday of November"],
    ["2020-11-02", "2020-11-02T14:30:00Z", "Monday after the first Sunday of November"],
    ["2006-03-31", "2006-03-31T14:30:00Z", "Friday before the first Sunday of April under the 1987 rule"],
    ["2006-04-03", "2006-04-03T13:30:00Z", "Monday after the first Sunday of April under the 1987 rule"],
    ["2006-10-27", "2006-10-27T13:30:00Z", "Friday before the last Sunday of October under the 1987 rule"],
    ["2006-10-30", "2006-10-30T14:30:00Z", "Monday after the last Sunday of October under the 1987 rule"],
  ])("opens %s at %s (%s)", (date, expected) => {
    expect(nyseCalendar.openTime(date)).toBe(utc(expected));
  });

  it("refuses open and close times for a non-session", () => {
    expect(() => nyseCalendar.openTime("2020-12-25")).toThrow(/2020-12-25.*not an NYSE session/);
    expect(() => nyseCalendar.closeTime("2020-12-26")).toThrow(/2020-12-26/);
  });
});

describe("nyseCalendar navigation", () => {
  it("steps over Thanksgiving and the following weekend", () => {
    expect(nyseCalendar.nextSession("2020-11-25")).toBe("2020-11-27");
    expect(nyseCalendar.nextSession("2020-11-27")).toBe("2020-11-30");
    expect(nyseCalendar.previousSession("2020-11-30")).toBe("2020-11-27");
    expect(nyseCalendar.previousSession("2020-11-27")).toBe("2020-11-25");
  });

  it("crosses year boundaries", () => {
    expect(nyseCalendar.nextSession("2020-12-31")).toBe("2021-01-04");
    expect(nyseCalendar.previousSession("2021-01-04")).toBe("2020-12-31");
  });

  it("lists sessions between two dates inclusively, across a year boundary", () => {
    const sessions = nyseCalendar.sessionsBetween("2020-12-23", "2021-01-05");

    expect(sessions).toEqual(["2020-12-23", "2020-12-24", "2020-12-28", "2020-12-29", "2020-12-30", "2020-12-31", "2021-01-04", "2021-01-05"]);
  });

  it("lists no sessions when the range is reversed", () => {
    expect(nyseCalendar.sessionsBetween("2020-12-31", "2020-12-01")).toEqual([]);
  });

  it("has about 252 sessions in every year", () => {
    for (let year = 1990; year <= 2040; year++) {
      const count = nyseCalendar.sessionsBetween(`${year}-01-01`, `${year}-12-31`).length;
      expect(count, String(year)).toBeGreaterThanOrEqual(246);
      expect(count, String(year)).toBeLessThanOrEqual(254);
    }
  });

  it("finds a session strictly after and strictly before any date in range", () => {
    const dates = fc
      .date({ min: new Date("1990-01-03T00:00:00Z"), max: new Date("2040-12-28T00:00:00Z"), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(
      fc.property(dates, (date) => {
        const next = nyseCalendar.nextSession(date);
        const previous = nyseCalendar.previousSession(date);
        expect(next > date && nyseCalendar.isSession(next)).toBe(true);
        expect(previous < date && nyseCalendar.isSession(previous)).toBe(true);
        expect(nyseCalendar.sessionsBetween(previous, next).filter((d) => d !== date)).toEqual([previous, next]);
      }),
      { seed: 20240101 },
    );
  });
});

describe("nyseCalendar first session of the week", () => {
  it("treats the Tuesday after Presidents Day as the week's first session", () => {
    expect(nyseCalendar.isFirstSessionOfWeek("2020-02-18")).toBe(true);
  });

  it("treats an ordinary Monday as the week's first session and later days as not", () => {
    expect(nyseCalendar.isFirstSessionOfWeek("2020-02-24")).toBe(true);
    expect(nyseCalendar.isFirstSessionOfWeek("2020-02-19")).toBe(false);
  });

  it("never treats a holiday as a first session", () => {
    expect(nyseCalendar.isFirstSessionOfWeek("2020-02-17")).toBe(false);
  });

  it("treats the first session of the supported range as a week's first session", () => {
    expect(nyseCalendar.isFirstSessionOfWeek("1990-01-02")).toBe(true);
  });
});

describe("nyseCalendar input validation", () => {
  it.each(["2020-13-01", "2021-02-30", "20200101", "2020-1-2", ""])("rejects the malformed date '%s'", (bad) => {
    expect(() => nyseCalendar.isSession(bad)).toThrow(`isSession: expected a date YYYY-MM-DD, got '${bad}'`);
  });

  it("rejects dates outside 1990–2040, naming them", () => {
    expect(() => nyseCalendar.isSession("1989-12-29")).toThrow(/'1989-12-29' is outside/);
    expect(() => nyseCalendar.nextSession("2041-01-02")).toThrow(/'2041-01-02' is outside/);
  });

  it("refuses to step past either end of the supported range", () => {
    expect(() => nyseCalendar.nextSession("2040-12-31")).toThrow(/no NYSE session after '2040-12-31'/);
    expect(() => nyseCalendar.previousSession("1990-01-02")).toThrow(/no NYSE session before '1990-01-02'/);
  });
});

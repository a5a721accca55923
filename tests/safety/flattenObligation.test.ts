import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { notFlatSymbols, openFlattenObligation, stepFlattenObligation, type HeldPosition } from "../../src/safety/index.js";

const HELD: HeldPosition[] = [{ symbol: "AAA", qty: 10 }, { symbol: "BBB", qty: 5 }];

describe("flatten obligation", () => {
  it("makes its first attempt on the PANIC close without reporting a failure", () => {
    const step = stepFlattenObligation(openFlattenObligation("2021-02-01", HELD), HELD, "2021-02-01");

    expect(step.attempt).toBe(true);
    expect(step.events).toEqual([]);
    expect(step.obligation).toMatchObject({ openedOn: "2021-02-01", attempts: 1, lastAttemptOn: "2021-02-01" });
  });

  it("reports the previous attempt as failed and tries again while anything is held", () => {
    const first = stepFlattenObligation(openFlattenObligation("2021-02-01", HELD), HELD, "2021-02-01");
    const second = stepFlattenObligation(first.obligation!, [HELD[0]], "2021-02-02");

    expect(second.attempt).toBe(true);
    expect(second.events).toMatchObject([{ type: "flatten_failed", reason: "FLATTEN_FAILED", detail: "attempt 1 on 2021-02-01 left AAA=10 (PANIC since 2021-02-01)" }]);
    expect(second.obligation?.attempts).toBe(2);
  });

  it("closes on the first close that finds nothing held", () => {
    const first = stepFlattenObligation(openFlattenObligation("2021-02-01", HELD), HELD, "2021-02-01");
    const done = stepFlattenObligation(first.obligation!, [], "2021-02-02");

    expect(done).toMatchObject({ obligation: null, attempt: false, events: [{ type: "flatten_completed", reason: "FLATTEN_COMPLETED" }] });
  });

  it("names the held symbols as not flat only while an obligation is open", () => {
    const obligation = openFlattenObligation("2021-02-01", HELD);

    expect(notFlatSymbols(obligation, HELD)).toEqual(["AAA", "BBB"]);
    expect(notFlatSymbols(null, HELD)).toEqual([]);
  });

  it("ends flat within the outage's length plus one session once orders can fill, one attempt a session", () => {
    // A toy venue: an attempt made while the broker is up fills at the next open; during the outage nothing does.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 4 }), (outage, symbols) => {
        let held: HeldPosition[] = Array.from({ length: symbols }, (_, i) => ({ symbol: `S${i}`, qty: i + 1 }));
        let obligation = openFlattenObligation("d0", held);
        const attemptsOn: number[] = [];
        for (let session = 0; session <= outage + 1; session += 1) {
          const step = stepFlattenObligation(obligation, held, `d${session}`);
          if (step.obligation === null) return session === outage + 1 && attemptsOn.length === outage + 1;
          obligation = step.obligation;
          attemptsOn.push(session);
          if (session >= outage) held = [];
        }
        return false;
      }),
    );
  });
});

describe("flatten obligation events", () => {
  it("says how many attempts it took and since when, once flat", () => {
    const opened = { openedOn: "2021-02-01", positions: [{ symbol: "AAA", qty: 5 }], attempts: 2, lastAttemptOn: "2021-02-02" };

    expect(stepFlattenObligation(opened, [], "2021-02-03").events).toEqual([
      { type: "flatten_completed", reason: "FLATTEN_COMPLETED", detail: "flat on 2021-02-03 after 2 attempt(s) since 2021-02-01", data: { openedOn: "2021-02-01", attempts: 2 } },
    ]);
  });

  it("lists every holding a failed attempt left behind, with its quantity", () => {
    const opened = { openedOn: "2021-02-01", positions: [{ symbol: "AAA", qty: 5 }], attempts: 1, lastAttemptOn: "2021-02-01" };
    const held = [{ symbol: "AAA", qty: 5 }, { symbol: "BBB", qty: 2.5 }];

    expect(stepFlattenObligation(opened, held, "2021-02-02").events).toEqual([
      {
        type: "flatten_failed",
        reason: "FLATTEN_FAILED",
        detail: "attempt 1 on 2021-02-01 left AAA=5 BBB=2.5 (PANIC since 2021-02-01)",
        data: { attempt: 1, attemptedOn: "2021-02-01", remaining: held },
      },
    ]);
  });

  it("names each symbol still held once, sorted, while an obligation is open", () => {
    const opened = { openedOn: "2021-02-01", positions: [], attempts: 1, lastAttemptOn: "2021-02-01" };

    expect(notFlatSymbols(opened, [{ symbol: "BBB", qty: 1 }, { symbol: "AAA", qty: 1 }, { symbol: "BBB", qty: 2 }])).toEqual(["AAA", "BBB"]);
  });
});

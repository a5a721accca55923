import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/clock/index.js";
import { initialEngineState } from "../../src/engine/index.js";
import { writeRunFiles } from "../../src/report/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../engine/fixtures.js";

/** events.jsonl as it was first written: each stored event parsed, then serialized whole. */
function parsedAndSerialized(event: { date: string; ts: number; type: string; reason: string; strategy?: string; symbol?: string; detail: string; data?: unknown }): string {
  return JSON.stringify({
    date: event.date, time: new Date(event.ts).toISOString(), type: event.type, reason: event.reason,
    ...(event.strategy !== undefined ? { strategy: event.strategy } : {}),
    ...(event.symbol !== undefined ? { symbol: event.symbol } : {}),
    detail: event.detail,
    ...(event.data !== undefined ? { data: event.data } : {}),
  });
}

const text = fc.string({ unit: "binary", maxLength: 12 });
const value = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(-0), fc.constant(1e21), fc.constant(5e-324));
const data = fc.dictionary(text, fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(text, value, { maxKeys: 3 })), { maxKeys: 4 });
const event = fc.record(
  { type: text, reason: text, detail: text, strategy: text, symbol: text, data, ts: fc.integer({ min: 0, max: 4e12 }) },
  { requiredKeys: ["type", "reason", "detail", "ts"] },
);

describe("events.jsonl, streamed from the store with each event's data copied as stored", () => {
  it("is byte for byte what parsing every event and serializing it whole gives", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const store = openStore(":memory:", new SimulatedClock(0));
        const out = tempDir("events-jsonl");
        try {
          store.startRun({ runId: "r", mode: "simulated", config: {}, args: {} });
          for (const e of events) store.insertEvent("r", { ...e, date: "2020-01-02" });
          writeRunFiles(out, store, "r", initialEngineState(1000), { capital: 1000, dryRun: false });
          const expected = store.listEvents("r").map((stored) => `${parsedAndSerialized(stored)}\n`).join("");
          expect(readFileSync(join(out, "events.jsonl"), "utf8")).toBe(expected);
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

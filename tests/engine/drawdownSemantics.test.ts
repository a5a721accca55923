import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spxReplay, tempDir } from "./fixtures.js";

interface Row { date: string; equity: number; hwm: number; state: string; multiplier: number }
interface Event { date: string; type: string; reason: string }

function readRun(outDir: string): { rows: Row[]; events: Event[] } {
  const [, ...lines] = readFileSync(join(outDir, "timeline.csv"), "utf8").trim().split("\n");
  const rows = lines.map((line) => {
    const [date, equity, hwm, , state, multiplier] = line.split(",");
    return { date, equity: Number(equity), hwm: Number(hwm), state, multiplier: Number(multiplier) };
  });
  const events = readFileSync(join(outDir, "events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Event);
  return { rows, events };
}

/**
 * An independent reading of the specification, driven by the timeline's own equity column and the
 * health-check outcomes in the events: what state and multiplier every session must show.
 */
function expectedStates(rows: Row[], events: Event[], capital: number): { state: string; multiplier: number; healthCheckDue: boolean }[] {
  const checks = new Map(events.filter((e) => e.type.startsWith("health_check_")).map((e) => [e.date, e.type === "health_check_passed"]));
  let mode = "ACTIVE";
  let high = capital;
  let cooldown = 0;
  let rampup = 0;
  return rows.map((row) => {
    high = Math.max(high, row.equity);
    const d = 1 - row.equity / high;
    let triggered = false;
    if (mode === "RAMPUP" && --rampup === 0) mode = "ACTIVE";
    if (mode === "ACTIVE" || mode === "RAMPUP") {
      if (d >= 0.1) [mode, cooldown, triggered] = ["PANIC", 20, true];
      else if (d >= 0.08) [mode, cooldown, triggered] = ["HALTED", 10, true];
    } else if (mode === "HALTED" && d >= 0.1) {
      [mode, cooldown, triggered] = ["PANIC", 20, true];
    } else {
      cooldown = Math.max(0, cooldown - 1);
    }
    const healthCheckDue = !triggered && (mode === "HALTED" || mode === "PANIC") && cooldown === 0;
    if (healthCheckDue && checks.get(row.date)) {
      [mode, high, rampup] = ["RAMPUP", row.equity, 5];
    }
    return { state: mode, multiplier: mode === "RAMPUP" ? 0.5 : 1, healthCheckDue };
  });
}

describe.each(["true", "false"])("the S&P 500 replay 2001–2020 with FLATTEN_ON_PANIC=%s", (flatten) => {
  it("shows halts, panics, health checks and ramp-ups exactly as specified", async () => {
    const outDir = tempDir(`flatten-${flatten}`);
    const job = await spxReplay({ from: "2001-01-02", to: "2020-04-17", outDir, overrides: { FLATTEN_ON_PANIC: flatten } });
    await job.run();
    await job.close();
    const { rows, events } = readRun(outDir);
    const expected = expectedStates(rows, events, 1000);

    const mismatches = rows.flatMap((row, i) =>
      row.state === expected[i].state && row.multiplier === expected[i].multiplier ? [] : [`${row.date}: ${row.state}/${row.multiplier} expected ${expected[i].state}/${expected[i].multiplier}`],
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
    const due = rows.filter((_, i) => expected[i].healthCheckDue).map((row) => row.date);
    const checked = events.filter((e) => e.type.startsWith("health_check_")).map((e) => e.date);
    expect(checked).toEqual(due);
    expect(events.filter((e) => e.type === "drawdown_halt").length).toBeGreaterThan(3);
    expect(events.filter((e) => e.type === "drawdown_panic").length).toBeGreaterThan(3);
    expect(events.filter((e) => e.type === "rampup_started").length).toBeGreaterThan(3);

    const stateOf = new Map(rows.map((row) => [row.date, row.state]));
    const submitted = events.filter((e) => e.type === "order_submitted");
    expect(submitted.filter((e) => e.reason === "ENTRY" && ["HALTED", "PANIC"].includes(stateOf.get(e.date)!))).toEqual([]);
    const flattens = submitted.filter((e) => e.reason === "PANIC_FLATTEN").map((e) => e.date);
    const panics = events.filter((e) => e.type === "drawdown_panic").map((e) => e.date);
    expect(flattens).toEqual(flatten === "true" ? panics : []);
  });
});

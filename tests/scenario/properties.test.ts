import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { ENGINE_STATE_KEY } from "../../src/engine/index.js";
import { SimulatedClock } from "../../src/clock/index.js";
import { runScenario, type RunRecordings } from "../../src/scenario/index.js";
import { openStore } from "../../src/store/index.js";
import { recordingsOf, scenarioOf, tempDir, toYaml } from "./fixtures.js";

const FAST_CHECK = { seed: 20240611, numRuns: 25, includeErrorInReport: true };
const SESSIONS = nyseCalendar.sessionsBetween("2021-01-04", "2021-06-30");
const SYMBOLS = ["AAA", "BBB"];
const percent = (min: number, max: number) => fc.integer({ min, max }).map((value) => value / 100);

/** One generated fault: its kind, the field holding its date, and a session offset into the window (wrapped). */
function placed(kind: string, dateKey: string, fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc.record({ at: fc.nat(79), fields: fc.record(fields) }).map(({ at, fields: values }) => ({ kind, dateKey, at, values }));
}

// Weighted so that most runs halt or panic (shocks), meet a kill switch, and some fail a health check
// (drift, outages); the coverage each property asserts below keeps these weights honest.
const injection = fc.oneof(
  { weight: 3, arbitrary: placed("kill_switch", "date", { switch: fc.constantFrom("on", "off"), strategy: fc.option(fc.constantFrom("s_aaa", "s_bbb"), { nil: undefined }) }) },
  {
    weight: 2,
    arbitrary: placed("broker_fault", "from", {
      sessions: fc.integer({ min: 1, max: 5 }), kind: fc.constantFrom("reject", "timeout", "outage", "partial_fill", "duplicate_client_order_id"), rate: fc.constantFrom(0.5, 1),
    }),
  },
  { weight: 1, arbitrary: placed("stale_feed", "from", { symbol: fc.constantFrom(...SYMBOLS), sessions: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: placed("nan_values", "date", { symbol: fc.constantFrom(...SYMBOLS), fields: fc.constantFrom(["open"], ["close"], ["volume"]) }) },
  { weight: 3, arbitrary: placed("price_shock", "date", { symbol: fc.constantFrom(...SYMBOLS), pct: percent(-35, 20).filter((pct) => pct !== 0) }) },
  { weight: 1, arbitrary: placed("reconciliation_drift", "date", { symbol: fc.constantFrom(...SYMBOLS), qty: fc.constant(1) }) },
  { weight: 1, arbitrary: placed("restart", "date", {}) },
);

type Generated = fc.Arbitrary<Record<string, unknown>>;

/** A whole scenario document on synthetic data: random paths, safety settings, kill-switch flips, faults, gaps, restarts. */
const scenarioDocument: Generated = fc
  .record({
    sessions: fc.integer({ min: 30, max: 80 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    volatility: percent(10, 80),
    jumps: fc.integer({ min: 0, max: 6 }),
    haltCooldown: fc.integer({ min: 1, max: 10 }),
    panicCooldown: fc.integer({ min: 1, max: 20 }),
    rampup: fc.integer({ min: 0, max: 5 }),
    flatten: fc.boolean(),
    strategies: fc.constantFrom("two", "sma"),
    injections: fc.array(injection, { maxLength: 8 }),
  })
  .map((g) => {
    const dates = SESSIONS.slice(0, g.sessions);
    const on = (at: number) => dates[at % dates.length];
    return {
      name: "generated",
      seed: g.seed,
      capital: 10000,
      data: { synthetic: { symbols: SYMBOLS, volatility: g.volatility, jump_intensity: g.jumps }, from: dates[0], to: dates.at(-1) },
      strategies: STRATEGIES[g.strategies],
      config: { HALT_COOLDOWN_DAYS: g.haltCooldown, PANIC_COOLDOWN_DAYS: Math.max(g.haltCooldown, g.panicCooldown), RAMPUP_DAYS: g.rampup, FLATTEN_ON_PANIC: g.flatten },
      injections: g.injections.map(({ kind, dateKey, at, values }) => ({ [kind]: { [dateKey]: on(at), ...values } })),
      expect: [{ max_drawdown: { below: 1 } }],
    };
  });

const STRATEGIES: Record<string, unknown[]> = {
  two: [{ name: "buy_and_hold", id: "s_aaa", params: { symbol: "AAA" } }, { name: "buy_and_hold", id: "s_bbb", params: { symbol: "BBB" } }],
  sma: [{ name: "sma_cross", id: "s_aaa", params: { symbol: "AAA", fast: 3, slow: 10 } }, { name: "buy_and_hold", id: "s_bbb", params: { symbol: "BBB" } }],
};

interface Ran {
  run: RunRecordings;
  files: { events: string; timeline: string; engine: string };
}

async function replay(document: Record<string, unknown>): Promise<Ran> {
  const outDir = tempDir("tg-property-");
  const result = await runScenario(scenarioOf(document), { outDir });
  if (result.status !== "pass") throw new Error(`the run itself failed: ${result.error ?? JSON.stringify(result.failures)}`);
  const store = openStore(join(outDir, "tradeguard.db"), new SimulatedClock(0));
  const engine = JSON.stringify(store.getSystemState(ENGINE_STATE_KEY));
  store.close();
  const read = (file: string) => readFileSync(join(outDir, file), "utf8");
  return { run: recordingsOf(outDir), files: { events: read("events.jsonl"), timeline: read("timeline.csv"), engine } };
}

/** What a run exercised, so a property can show it was tested against the situations it is about. */
const FEATURES = {
  halt: (run: RunRecordings) => run.events.some((event) => event.type === "drawdown_halt"),
  panic: (run: RunRecordings) => run.events.some((event) => event.type === "drawdown_panic"),
  "failed health check": (run: RunRecordings) => run.events.some((event) => event.type === "health_check_failed"),
  "kill-switch rejection": (run: RunRecordings) => run.events.some((event) => event.type === "signal_rejected" && event.reason?.startsWith("KILL_SWITCH")),
  "strategy exit in PANIC": (run: RunRecordings) => submittedIn(run, "PANIC").some((event) => event.reason === "EXIT"),
  "entry in RAMPUP": (run: RunRecordings) => ordersIn(run, "RAMPUP").some((order) => order.side === "buy"),
} as const;
type Feature = keyof typeof FEATURES;

/** The `order_submitted` events (their reason says ENTRY, EXIT or PANIC_FLATTEN) of closes whose state was `mode`. */
function submittedIn(run: RunRecordings, mode: string): RunRecordings["events"] {
  const state = new Map(run.equity.map((row) => [row.session, row.state]));
  return run.events.filter((event) => event.type === "order_submitted" && state.get(event.date) === mode);
}

/** Orders placed at a close whose state was `mode`. */
function ordersIn(run: RunRecordings, mode: string): RunRecordings["orders"] {
  const state = new Map(run.equity.map((row) => [row.session, row.state]));
  return run.orders.filter((order) => state.get(order.session) === mode);
}

/**
 * Checks `invariant` on a run of every generated scenario; a failure prints the (shrunk) scenario as YAML.
 * `coverage` gives the least share of runs (0..1) that must show each feature, else the property proved little.
 */
async function holdsFor(
  arbitrary: Generated,
  invariant: (document: Record<string, unknown>, ran: Ran) => string[] | Promise<string[]>,
  coverage: Partial<Record<Feature, number>> = {},
): Promise<void> {
  const seen = new Map<Feature, number>();
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (document) => {
      const ran = await replay(document);
      runs += 1;
      for (const feature of Object.keys(coverage) as Feature[]) if (FEATURES[feature](ran.run)) seen.set(feature, (seen.get(feature) ?? 0) + 1);
      const problems = await invariant(document, ran);
      if (problems.length > 0) throw new Error(`${problems.slice(0, 5).join("\n")}\n--- scenario ---\n${toYaml(document)}`);
    }),
    FAST_CHECK,
  );
  const shares = Object.fromEntries(Object.keys(coverage).map((feature) => [feature, (seen.get(feature as Feature) ?? 0) / runs]));
  for (const [feature, least] of Object.entries(coverage)) {
    expect(shares[feature], `share of ${runs} generated runs with a ${feature} (all: ${JSON.stringify(shares)})`).toBeGreaterThanOrEqual(least);
  }
}

/** Kill switches in force at `session` as the engine reads them: the store override over the (default) config. */
function killedAt(document: Record<string, unknown>, session: string, strategy: string): boolean {
  let global = false;
  let own = false;
  for (const item of document.injections as { kill_switch?: { date: string; switch: string; strategy?: string } }[]) {
    const flip = item.kill_switch;
    if (!flip || flip.date > session) continue;
    if (flip.strategy === undefined) global = flip.switch === "on";
    else if (flip.strategy === strategy) own = flip.switch === "on";
  }
  return global || own;
}

function sessionsOf(run: RunRecordings): string[] {
  return run.equity.map((row) => row.session);
}

describe("whole-pipeline properties on generated scenarios", () => {
  it("never places an entry order while HALTED or in PANIC, or while a kill switch is on", async () => {
    await holdsFor(scenarioDocument, (document, { run }) => {
      const state = new Map(run.equity.map((row) => [row.session, row.state]));
      return run.orders
        .filter((order) => order.side === "buy")
        .filter((order) => ["HALTED", "PANIC"].includes(state.get(order.session)!) || killedAt(document, order.session, order.strategyId))
        .map((order) => `entry ${order.clientOrderId} of ${order.strategyId} on ${order.session} in state ${state.get(order.session)}`);
    }, { halt: 0.3, panic: 0.5, "kill-switch rejection": 0.4 });
  });

  it("lets every exit through the kill switches and the drawdown gate, and sends PANIC_FLATTEN sells only in PANIC with FLATTEN_ON_PANIC", async () => {
    await holdsFor(scenarioDocument, (document, { run }) => {
      const flattenOn = (document.config as { FLATTEN_ON_PANIC: boolean }).FLATTEN_ON_PANIC;
      const state = new Map(run.equity.map((row) => [row.session, row.state]));
      const stoppedExits = run.events
        .filter((event) => event.type === "signal_rejected" && event.detail.startsWith("sell "))
        .filter((event) => ["kill_switch", "drawdown_gate"].includes((event.data as { stage?: string } | undefined)?.stage ?? ""))
        .map((event) => `${event.date}: exit stopped: ${event.detail}`);
      const strayFlattens = run.events
        .filter((event) => event.type === "order_submitted" && event.reason === "PANIC_FLATTEN" && !(flattenOn && state.get(event.date) === "PANIC"))
        .map((event) => `${event.date}: PANIC_FLATTEN ${event.detail} in ${state.get(event.date)} with FLATTEN_ON_PANIC=${flattenOn}`);
      return [...stoppedExits, ...strayFlattens];
    }, { panic: 0.5, "strategy exit in PANIC": 0.16 });
  });

  it("never lets a ramp-up entry order spend more than the ramp-up share of its strategy's equity", async () => {
    await holdsFor(scenarioDocument, (_document, { run }) => {
      // Each generated strategy targets half the equity; a ramp-up entry is at most RAMPUP_SIZING_PCT of that
      // target, less what is held. Read from the orders the broker received, not from the timeline.
      const equity = new Map(run.equity.map((row) => [row.session, row.equity]));
      return ordersIn(run, "RAMPUP")
        .filter((order) => order.side === "buy" && order.notional! > 0.5 * 0.5 * equity.get(order.session)! + 0.01)
        .map((order) => `${order.session}: ramp-up entry ${order.clientOrderId} of $${order.notional} with equity ${equity.get(order.session)}`);
    }, { "entry in RAMPUP": 0.12 });
  });

  it("reports the ramp-up multiplier exactly on the ramp-up sessions, which last RAMPUP_DAYS unless a new trigger cuts them", async () => {
    await holdsFor(scenarioDocument, (document, { run }) => {
      const rampup = (document.config as { RAMPUP_DAYS: number }).RAMPUP_DAYS;
      const problems = run.equity
        .filter((row) => row.sizingMultiplier !== (row.state === "RAMPUP" ? 0.5 : 1))
        .map((row) => `${row.session}: multiplier ${row.sizingMultiplier} in ${row.state}`);
      const sessions = sessionsOf(run);
      for (const started of run.events.filter((event) => event.type === "rampup_started")) {
        const from = sessions.indexOf(started.date);
        const span = run.equity.slice(from, from + rampup + 1).map((row) => row.state);
        const cut = span.findIndex((mode) => mode === "HALTED" || mode === "PANIC");
        const expected = Array.from({ length: span.length }, (_, i) => (i < rampup ? "RAMPUP" : "ACTIVE"));
        if (cut < 0 && span.join() !== expected.join()) problems.push(`ramp-up from ${started.date}: ${span.join(",")}`);
      }
      return problems;
    });
  });

  it("keeps every halt and panic for exactly its cooldown before the health check", async () => {
    await holdsFor(scenarioDocument, (document, { run }) => {
      const config = document.config as { HALT_COOLDOWN_DAYS: number; PANIC_COOLDOWN_DAYS: number };
      const sessions = sessionsOf(run);
      const triggers = run.events.filter((event) => event.type === "drawdown_halt" || event.type === "drawdown_panic");
      const problems: string[] = [];
      triggers.forEach((trigger, k) => {
        const panic = trigger.type === "drawdown_panic";
        const cooldown = panic ? config.PANIC_COOLDOWN_DAYS : config.HALT_COOLDOWN_DAYS;
        const t = sessions.indexOf(trigger.date);
        const next = k + 1 < triggers.length ? sessions.indexOf(triggers[k + 1].date) : sessions.length;
        const held = run.equity.slice(t, Math.min(t + cooldown, next)).map((row) => row.state);
        if (held.some((mode) => mode !== (panic ? "PANIC" : "HALTED"))) problems.push(`${trigger.type} ${trigger.date}: ${held.join(",")}`);
        const checks = run.events.filter((event) => event.type.startsWith("health_check_") && sessions.indexOf(event.date) > t);
        const first = checks[0] && sessions.indexOf(checks[0].date);
        if (t + cooldown < next && t + cooldown < sessions.length && first !== t + cooldown) {
          problems.push(`${trigger.type} ${trigger.date}: first health check at ${checks[0]?.date}, expected ${sessions[t + cooldown]}`);
        }
      });
      return problems;
    }, { halt: 0.3, panic: 0.5, "failed health check": 0.12 });
  });

  it("never lets one client order id reach the broker twice", async () => {
    await holdsFor(scenarioDocument, (_document, { run }) => {
      const seen = new Set<string>();
      return run.orders.flatMap((order) => (seen.has(order.clientOrderId) ? [`${order.clientOrderId} twice`] : (seen.add(order.clientOrderId), [])));
    });
  });

  it("produces the same events, timeline and final state whether or not the process restarts", async () => {
    const withoutRestarts = scenarioDocument.map((document): Record<string, unknown> => ({
      ...document,
      injections: (document.injections as object[]).filter((item) => !("restart" in item)),
    }));
    const restartDay = fc.nat(79);
    await holdsFor(
      fc.tuple(withoutRestarts, fc.array(restartDay, { minLength: 1, maxLength: 3 })).map(([document, days]) => {
        const { from, to } = document.data as { from: string; to: string };
        const dates = nyseCalendar.sessionsBetween(from, to);
        return { ...document, injections: [...(document.injections as object[]), ...days.map((day) => ({ restart: { date: dates[day % dates.length] } }))] };
      }),
      async (document, restarted) => {
        const straight = await replay({ ...document, injections: (document.injections as object[]).filter((item) => !("restart" in item)) });
        return (["events", "timeline", "engine"] as const).filter((file) => restarted.files[file] !== straight.files[file]).map((file) => `${file} differs after a restart`);
      },
    );
  });

  it("gives byte-identical output for the same seed", async () => {
    await holdsFor(scenarioDocument, async (document, first) => {
      const second = await replay(document);
      return (["events", "timeline", "engine"] as const).filter((file) => first.files[file] !== second.files[file]).map((file) => `${file} differs between two runs`);
    });
  });
});

describe("the property harness", () => {
  it("prints a failing scenario as YAML", async () => {
    const failure = holdsFor(scenarioDocument, () => ["always wrong"]);

    await expect(failure).rejects.toThrow(/always wrong\n--- scenario ---\nname: generated\n/);
  });
});

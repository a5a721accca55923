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

const injection = fc.oneof(
  placed("kill_switch", "date", { switch: fc.constantFrom("on", "off"), strategy: fc.option(fc.constantFrom("s_aaa", "s_bbb"), { nil: undefined }) }),
  placed("broker_fault", "from", {
    sessions: fc.integer({ min: 1, max: 5 }), kind: fc.constantFrom("reject", "timeout", "outage", "partial_fill", "duplicate_client_order_id"), rate: fc.constantFrom(0.5, 1),
  }),
  placed("stale_feed", "from", { symbol: fc.constantFrom(...SYMBOLS), sessions: fc.integer({ min: 1, max: 5 }) }),
  placed("nan_values", "date", { symbol: fc.constantFrom(...SYMBOLS), fields: fc.constantFrom(["open"], ["close"], ["volume"]) }),
  placed("price_shock", "date", { symbol: fc.constantFrom(...SYMBOLS), pct: percent(-35, 20).filter((pct) => pct !== 0) }),
  placed("restart", "date", {}),
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
    injections: fc.array(injection, { maxLength: 6 }),
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

/** Checks `invariant` on a run of every generated scenario; a failure prints the (shrunk) scenario as YAML. */
async function holdsFor(arbitrary: Generated, invariant: (document: Record<string, unknown>, ran: Ran) => string[] | Promise<string[]>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (document) => {
      const problems = await invariant(document, await replay(document));
      if (problems.length > 0) throw new Error(`${problems.slice(0, 5).join("\n")}\n--- scenario ---\n${toYaml(document)}`);
    }),
    FAST_CHECK,
  );
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
    });
  });

  it("sizes at the ramp-up multiplier exactly on the ramp-up sessions, which last RAMPUP_DAYS unless a new trigger cuts them", async () => {
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
    });
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

import fc from "fast-check";
import { describe, it, expect } from "vitest";
import {
  DEFAULT_DRAWDOWN_CONFIG,
  drawdownOf,
  entryDecision,
  initialDrawdownState,
  resolveHealthCheck,
  sizingMultiplier,
  stepDrawdown,
  type DrawdownConfig,
  type DrawdownMode,
  type DrawdownState,
  type HealthCheckResult,
  type SafetyEvent,
} from "../../src/safety/index.js";

const CONFIG = DEFAULT_DRAWDOWN_CONFIG;
const CAPITAL = 1000;
const PASS: HealthCheckResult = { passed: true, checks: [] };
const FAIL: HealthCheckResult = {
  passed: false,
  checks: [{ name: "broker_reachable", passed: false, code: "BROKER_UNREACHABLE", detail: "reachable=false" }],
};
const FAST_CHECK = { seed: 20240607, numRuns: 300 };

/** What the engine would see after each session close (step, then the health check when due). */
interface Close {
  modeBefore: DrawdownMode;
  highWaterMarkBefore: number;
  state: DrawdownState;
  drawdown: number;
  healthCheckDue: boolean;
  checkPassed: boolean;
  flatten: boolean;
  events: SafetyEvent[];
  entryAllowed: boolean;
  multiplier: number;
}

const session = (index: number): string => `S${String(index).padStart(4, "0")}`;

/** Replays an equity path; `check(k)` answers the k-th health check (all pass by default). */
function replay(
  equities: readonly number[],
  check: (k: number) => HealthCheckResult = () => PASS,
  config: DrawdownConfig = CONFIG,
): Close[] {
  let state = initialDrawdownState(CAPITAL);
  let checks = 0;
  return equities.map((equity, index) => {
    const before = state;
    const step = stepDrawdown(state, { equity }, session(index), config);
    const events = [...step.events];
    state = step.state;
    let checkPassed = false;
    if (step.healthCheckDue) {
      const result = check(checks++);
      const resolved = resolveHealthCheck(state, result, { equity }, session(index), config);
      state = resolved.state;
      events.push(...resolved.events);
      checkPassed = result.passed;
    }
    return {
      modeBefore: before.mode,
      highWaterMarkBefore: before.highWaterMark,
      state,
      drawdown: step.drawdown,
      healthCheckDue: step.healthCheckDue,
      checkPassed,
      flatten: step.flatten,
      events,
      entryAllowed: entryDecision(state).kind === "allow",
      multiplier: sizingMultiplier(state, config),
    };
  });
}

/** `before` sessions at capital, then `equity` held for the rest of `length` sessions. */
function dropAt(before: number, equity: number, length: number): number[] {
  return Array.from({ length }, (_, index) => (index < before ? CAPITAL : equity));
}

const types = (close: Close): string[] => close.events.map((event) => event.type);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("drawdown stop: worked examples", () => {
  it("halts at 8 %, blocks entries for ten sessions, then ramps up at half size for five", () => {
    const t = 5;
    const closes = replay(dropAt(t, 920, t + 20));

    expect(closes[t].state.mode).toBe("HALTED");
    expect(types(closes[t])).toEqual(["drawdown_halt"]);
    expect(closes[t].events[0].detail).toMatch(/^d=0\.0800 limit=0\.0800 /);
    for (const i of range(t, t + 9)) expect(closes[i].entryAllowed).toBe(false);
    for (const i of range(t, t + 9)) expect(closes[i].healthCheckDue).toBe(false);
    expect(closes[t + 10].healthCheckDue).toBe(true);
    expect(types(closes[t + 10])).toEqual(["health_check_passed", "rampup_started"]);
    for (const i of range(t + 10, t + 14)) expect([closes[i].state.mode, closes[i].multiplier]).toEqual(["RAMPUP", 0.5]);
    expect(types(closes[t + 15])).toEqual(["rampup_ended"]);
    expect([closes[t + 15].state.mode, closes[t + 15].multiplier]).toEqual(["ACTIVE", 1]);
    expect(closes[t + 15].entryAllowed).toBe(true);
  });

  it("panics at 10 %, flattens once, blocks entries for twenty sessions, then ramps up for five", () => {
    const t = 3;
    const closes = replay(dropAt(t, 900, t + 30));

    expect(closes[t].state.mode).toBe("PANIC");
    expect(types(closes[t])).toEqual(["drawdown_panic"]);
    expect(closes.map((close) => close.flatten)).toEqual(closes.map((_, i) => i === t));
    for (const i of range(t, t + 19)) expect(closes[i].entryAllowed).toBe(false);
    expect(closes.findIndex((close) => close.healthCheckDue)).toBe(t + 20);
    for (const i of range(t + 20, t + 24)) expect(closes[i].multiplier).toBe(0.5);
    expect([closes[t + 25].state.mode, closes[t + 25].multiplier]).toEqual(["ACTIVE", 1]);
  });

  it("restarts the cooldown at twenty sessions when a halt escalates to panic", () => {
    const t = 2;
    const equities = dropAt(t, 920, t + 40).map((equity, i) => (i >= t + 3 ? 895 : equity));
    const closes = replay(equities);

    expect(closes[t + 3].state.mode).toBe("PANIC");
    expect(closes[t + 3].flatten).toBe(true);
    expect(closes[t + 3].state.cooldownRemaining).toBe(20);
    expect(closes.findIndex((close) => close.healthCheckDue)).toBe(t + 23);
  });

  it("re-checks at the next close after a failed health check", () => {
    const t = 1;
    const closes = replay(dropAt(t, 920, t + 20), (k) => (k === 0 ? FAIL : PASS));

    expect(types(closes[t + 10])).toEqual(["health_check_failed"]);
    expect(closes[t + 10].events[0].detail).toContain("BROKER_UNREACHABLE");
    expect(closes[t + 10].state).toMatchObject({ mode: "HALTED", cooldownRemaining: 0 });
    expect(closes[t + 10].entryAllowed).toBe(false);
    expect(closes[t + 11].healthCheckDue).toBe(true);
    expect(closes[t + 11].state.mode).toBe("RAMPUP");
  });

  it("re-halts on a new drop during ramp-up, measured from the re-based high-water mark", () => {
    const t = 1;
    const equities = dropAt(t, 920, t + 20).map((equity, i) => (i >= t + 12 ? 840 : equity));
    const closes = replay(equities);

    expect(closes[t + 10].state.highWaterMark).toBe(920);
    expect(closes[t + 12].state.mode).toBe("HALTED");
    expect(closes[t + 12].drawdown).toBeCloseTo(80 / 920, 12);
    expect(closes[t + 12].entryAllowed).toBe(false);
  });

  it("starts the high-water mark at the starting capital", () => {
    const [first] = replay([950]);

    expect(first.highWaterMarkBefore).toBe(CAPITAL);
    expect(first.drawdown).toBeCloseTo(0.05, 12);
  });

  it("treats equity at or below zero as a full drawdown", () => {
    const [first] = replay([0]);

    expect(first.drawdown).toBe(1);
    expect(first.state.mode).toBe("PANIC");
  });

  it("does not flatten on panic when flattening is off", () => {
    const [first] = replay([850], () => PASS, { ...CONFIG, flattenOnPanic: false });

    expect(first.state.mode).toBe("PANIC");
    expect(first.flatten).toBe(false);
  });

  it("resumes at full size straight away when the ramp-up lasts zero sessions", () => {
    const closes = replay(dropAt(1, 920, 12), () => PASS, { ...CONFIG, rampupSessions: 0 });

    expect(types(closes[11])).toEqual(["health_check_passed"]);
    expect([closes[11].state.mode, closes[11].multiplier]).toEqual(["ACTIVE", 1]);
  });

  it("rejects a non-finite equity instead of guessing", () => {
    expect(() => stepDrawdown(initialDrawdownState(CAPITAL), { equity: Number.NaN }, session(0), CONFIG)).toThrow(RangeError);
  });

  it("refuses to resolve a health check that is not due", () => {
    const halted = stepDrawdown(initialDrawdownState(CAPITAL), { equity: 920 }, session(0), CONFIG).state;

    expect(() => resolveHealthCheck(initialDrawdownState(CAPITAL), PASS, { equity: 1000 }, session(0), CONFIG)).toThrow();
    expect(() => resolveHealthCheck(halted, PASS, { equity: 920 }, session(0), CONFIG)).toThrow();
  });
});

describe("drawdown stop: decisions", () => {
  const state = (mode: DrawdownMode): DrawdownState => ({ ...initialDrawdownState(CAPITAL), mode });

  it("denies entries with the halt or panic code and allows them otherwise", () => {
    expect(entryDecision(state("HALTED"))).toMatchObject({ kind: "deny", code: "DRAWDOWN_HALT" });
    expect(entryDecision(state("PANIC"))).toMatchObject({ kind: "deny", code: "DRAWDOWN_PANIC" });
    expect(entryDecision(state("ACTIVE")).kind).toBe("allow");
    expect(entryDecision(state("RAMPUP")).kind).toBe("allow");
  });

});

describe("drawdown stop: properties over random equity paths", () => {
  // Daily returns of −6 % … +4 % in 0.1 % steps: paths long and rough enough to halt, panic and recover.
  const path = fc
    .array(fc.integer({ min: -60, max: 40 }).map((permille) => permille / 1000), { minLength: 20, maxLength: 150 })
    .map((returns) => returns.reduce<number[]>((acc, r) => [...acc, (acc.at(-1) ?? CAPITAL) * (1 + r)], []));
  const outcomes = fc.array(fc.boolean(), { minLength: 1, maxLength: 20 });
  const answer = (passes: boolean[]) => (k: number) => (passes[k % passes.length] ? PASS : FAIL);
  const isHaltedMode = (mode: DrawdownMode): boolean => mode === "HALTED" || mode === "PANIC";

  it("draws paths that halt, panic, fail checks and ramp up (so the properties are not vacuous)", () => {
    const seen = new Set(
      fc.sample(fc.tuple(path, outcomes), { seed: FAST_CHECK.seed, numRuns: 100 }).flatMap(([equities, passes]) =>
        replay(equities, answer(passes)).flatMap(types),
      ),
    );

    expect([...seen].sort()).toEqual(
      ["drawdown_halt", "drawdown_panic", "health_check_failed", "health_check_passed", "rampup_ended", "rampup_started"],
    );
  });

  it("never allows an entry while halted or in panic", () => {
    fc.assert(
      fc.property(path, outcomes, (equities, passes) =>
        replay(equities, answer(passes)).every((close) => !isHaltedMode(close.state.mode) || !close.entryAllowed),
      ),
      FAST_CHECK,
    );
  });

  it("sizes at the ramp-up percentage on exactly the ramp-up sessions after each passed check", () => {
    fc.assert(
      fc.property(path, outcomes, (equities, passes) => {
        let sincePass = Number.POSITIVE_INFINITY;
        return replay(equities, answer(passes)).every((close) => {
          if (close.events.some((event) => event.type.startsWith("drawdown_"))) sincePass = Number.POSITIVE_INFINITY;
          sincePass = close.checkPassed ? 0 : sincePass + 1;
          const expected = sincePass < CONFIG.rampupSessions ? CONFIG.rampupSizingPct : 1;
          return close.multiplier === expected;
        });
      }),
      FAST_CHECK,
    );
  });

  it("halts exactly when the drawdown crosses the halt threshold in active or ramp-up", () => {
    fc.assert(
      fc.property(path, outcomes, (equities, passes) =>
        replay(equities, answer(passes)).every((close, i) => {
          const highWaterMark = Math.max(close.highWaterMarkBefore, equities[i]);
          const drawdown = (highWaterMark - equities[i]) / highWaterMark;
          const triggered = close.events.some((event) => event.type === "drawdown_halt" || event.type === "drawdown_panic");
          const armed = close.modeBefore === "ACTIVE" || close.modeBefore === "RAMPUP";
          return close.drawdown === drawdown && (!armed || triggered === drawdown >= CONFIG.haltThreshold);
        }),
      ),
      FAST_CHECK,
    );
  });

  it("keeps entries closed for at least the cooldown after every trigger", () => {
    fc.assert(
      fc.property(path, outcomes, (equities, passes) => {
        const closes = replay(equities, answer(passes));
        return closes.every((close, t) => {
          const trigger = close.events.find((event) => event.type.startsWith("drawdown_"));
          if (!trigger) return true;
          const cooldown = trigger.type === "drawdown_panic" ? CONFIG.panicCooldownSessions : CONFIG.haltCooldownSessions;
          return closes.slice(t, t + cooldown).every((later) => !later.entryAllowed);
        });
      }),
      FAST_CHECK,
    );
  });

  it("never lowers the high-water mark except when a passed check re-bases it", () => {
    fc.assert(
      fc.property(path, outcomes, (equities, passes) =>
        replay(equities, answer(passes)).every(
          (close, i) => close.checkPassed ? close.state.highWaterMark === equities[i] : close.state.highWaterMark >= close.highWaterMarkBefore,
        ),
      ),
      FAST_CHECK,
    );
  });
});

describe("drawdown stop edges", () => {
  const halted: DrawdownState = { mode: "HALTED", highWaterMark: 1000, cooldownRemaining: 0, rampupRemaining: 0, triggeredOn: "S0001" };

  it("treats equity at or below zero as a full drawdown", () => {
    expect(drawdownOf(0, 1000)).toBe(1);
    expect(drawdownOf(-5, 1000)).toBe(1);
    expect(drawdownOf(920, 1000)).toBe(0.08);
  });

  it("fails a health check whose result claims a pass while a sub-check failed", () => {
    const inconsistent: HealthCheckResult = { passed: true, checks: FAIL.checks };

    expect(resolveHealthCheck(halted, inconsistent, { equity: 950 }, "S0011", CONFIG).events.map((event) => event.type)).toEqual(["health_check_failed"]);
  });

  it("refuses a health check before the cooldown has run out, naming the state", () => {
    expect(() => resolveHealthCheck({ ...halted, cooldownRemaining: 2 }, PASS, { equity: 950 }, "S0011", CONFIG)).toThrow("health check resolved while not due: mode=HALTED cooldown=2");
  });

  it("names the mode and the sessions left when it denies an entry", () => {
    expect(entryDecision({ ...halted, cooldownRemaining: 3 })).toEqual({ kind: "deny", code: "DRAWDOWN_HALT", detail: "mode=HALTED cooldown=3" });
    expect(entryDecision({ ...halted, mode: "PANIC", cooldownRemaining: 7 })).toEqual({ kind: "deny", code: "DRAWDOWN_PANIC", detail: "mode=PANIC cooldown=7" });
  });

  it("refuses a non-finite equity, saying what it got", () => {
    expect(() => stepDrawdown(initialDrawdownState(CAPITAL), { equity: Number.NaN }, "S0001", CONFIG)).toThrow("drawdown stop needs a finite equity, got NaN");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario, ScenarioError, type Scenario } from "../../src/scenario/index.js";
import { SCENARIOS_DIR, tempDir, toYaml } from "./fixtures.js";

const FILE = "scenarios/fuzz.yaml";

/** A short scenario that uses every injection kind the engine replays, and expectations of several kinds. */
function baseDocument(): Record<string, unknown> {
  return {
    name: "fuzz",
    seed: 3,
    capital: 10000,
    broker: { slippage_bps: 5, commission: 0, fractional: true },
    data: { synthetic: { symbols: ["AAA", "BBB"], volatility: 0.2, drift: 0.05 }, from: "2021-01-04", to: "2021-02-26", warmup: 260 },
    strategies: [
      { name: "sma_cross", id: "sma", params: { symbol: "AAA", fast: 5, slow: 20 } },
      { name: "momentum_top_n", params: { symbols: "AAA,BBB", lookback: 10, topN: 1 } },
    ],
    config: { DRAWDOWN_HALT_THRESHOLD: 0.08, MAX_NAN_PCT: 0.1, ARTIFACT_RETENTION_DAYS: 30 },
    injections: [
      { nan_values: { symbol: "AAA", date: "2021-01-11", fields: ["close"] } },
      { bad_bar: { symbol: "BBB", date: "2021-01-13", close: 1 } },
      { stale_feed: { symbol: "BBB", from: "2021-01-20", sessions: 2 } },
      { kill_switch: { date: "2021-02-01", switch: "on", strategy: "sma" } },
      { restart: { date: "2021-02-03" } },
      { price_shock: { symbol: "AAA", date: "2021-02-08", pct: -0.2 } },
    ],
    expect: [
      { blocked: { symbol: "AAA", date: "2021-01-11", reason: "NAN_VALUES" } },
      { event: { type: "symbol_blocked", min: 1 } },
      { max_drawdown: { below: 1 } },
      { equity: { date: "2021-02-26", min: 0 } },
    ],
  };
}

/** Every path to a value inside a document, e.g. ["injections", 2, "stale_feed", "sessions"]. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (typeof value === "object" && value !== null) return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

const PATHS = pathsOf(baseDocument()).filter((path) => path.length > 0);
const LEAVES = PATHS.filter((path) => !isContainer(path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], baseDocument())));

/** Values of the wrong type or size, dates off the calendar, and plain garbage. */
const hostileValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53, 0.5, 1.5, "", "x", "2021-01-09", "2021-13-40", "1985-01-02", "2039-12-30", [], {}, ["a"], { k: 1 }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 8 }),
);

/** Values a scenario may well hold, so more mutated documents stay valid and reach the replay. */
const plausibleValue = fc.oneof(
  fc.integer({ min: -5, max: 400 }),
  fc.double({ min: -1, max: 2, noNaN: true }),
  fc.constantFrom(1e308, 0, "2021-01-05", "2021-01-29", "2021-02-25", "2021-02-26", "AAA", "BBB", "CCC", "close", "volume", "on", "off", "NAN_VALUES", "sma"),
);

/** One change to the document: a value replaced, a key removed, or an unknown key added. */
const mutationOf = (value: fc.Arbitrary<unknown>) =>
  fc.record({ path: fc.constantFrom(...PATHS), kind: fc.constantFrom("replace", "replace", "delete", "unknown_key"), value });

function isContainer(value: unknown): value is Record<string | number, unknown> {
  return typeof value === "object" && value !== null;
}

type Mutation = { path: (string | number)[]; kind: string; value: unknown };

function mutate(document: Record<string, unknown>, { path, kind, value }: Mutation): void {
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isContainer(node) ? node[key] : undefined), document);
  // An earlier change may have removed or replaced the container this path runs through.
  if (!isContainer(parent)) return;
  const key = path[path.length - 1];
  if (kind === "delete" && Array.isArray(parent)) parent.splice(key as number, 1);
  else if (kind === "delete") delete parent[key];
  else if (kind === "unknown_key" && typeof parent[key] === "object" && parent[key] !== null && !Array.isArray(parent[key])) (parent[key] as Record<string, unknown>).surprise = value;
  else parent[key] = value;
}

/** Text damage on top: a character dropped, doubled or replaced, in YAML or JSON. */
const textDamage = fc.option(fc.tuple(fc.nat(), fc.constantFrom("drop", "double", ":", "\t", "{", "]", "#", "'", "\u0000")), { freq: 3 });

/** A scenario file: the base document with a few hostile changes, as YAML or JSON, maybe damaged as text. */
const scenarioText = fc
  .record({ mutations: fc.array(mutationOf(hostileValue), { minLength: 0, maxLength: 3 }), json: fc.boolean(), damage: textDamage })
  .map(({ mutations, json, damage }) => {
    const document = baseDocument();
    for (const change of mutations) mutate(document, change);
    let text = json ? JSON.stringify(document, null, 1) : toYaml(document);
    if (damage) {
      const at = damage[0] % Math.max(1, text.length);
      const insert = damage[1] === "drop" ? "" : damage[1] === "double" ? text.slice(at, at + 2) : damage[1];
      text = text.slice(0, at) + insert + text.slice(at + 1);
    }
    return text;
  });

/** A scenario file with one plausible value in place of another, and no text damage: mostly valid, so mostly replayed. */
const runnableText = fc
  .record({
    mutations: fc.array(fc.record({ path: fc.constantFrom(...LEAVES), kind: fc.constant("replace"), value: plausibleValue }), { minLength: 1, maxLength: 1 }),
    json: fc.boolean(),
  })
  .map(({ mutations, json }) => {
    const document = baseDocument();
    for (const change of mutations) mutate(document, change);
    return json ? JSON.stringify(document) : toYaml(document);
  });

/** Parses like the suite does: a Scenario, or a ScenarioError of one line naming the file; anything else escapes. */
function parseOrInvalid(text: string): Scenario | undefined {
  try {
    return parseScenario(text, FILE, SCENARIOS_DIR);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message.startsWith(`${FILE}: `)).toBe(true);
    expect((error as Error).message).not.toContain("\n");
    return undefined;
  }
}

describe("scenario files, fuzzed", () => {
  it("the base document is a valid scenario that runs to a pass", async () => {
    const result = await runScenario(parseScenario(toYaml(baseDocument()), FILE, SCENARIOS_DIR), { outDir: tempDir() });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe("pass");
  });

  it("are valid or invalid with one line naming the file and the path: never another error", () => {
    fc.assert(
      fc.property(scenarioText, (text) => {
        parseOrInvalid(text);
      }),
      { seed: 777, numRuns: 250 },
    );
  });

  it("that parse run to a pass or a failed expectation, or are invalid with one line: the run never crashes", async () => {
    await fc.assert(
      fc.asyncProperty(runnableText, async (text) => {
        const scenario = parseOrInvalid(text);
        if (!scenario) return;
        const result = await runScenario(scenario, { outDir: tempDir() });
        if (result.status === "invalid") expect(result.error).not.toContain("\n");
        else expect(result.error, result.error).toBeUndefined();
      }),
      { seed: 778, numRuns: 60 },
    );
  });
});

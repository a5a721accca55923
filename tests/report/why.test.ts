import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRun, type RunData } from "../../src/report/load.js";
import { explainSession } from "../../src/report/why.js";
import { buildRun } from "./fixtures.js";

let dir: string;
let data: RunData;

beforeAll(async () => {
  dir = await buildRun(7);
  data = loadRun(dir);
});

describe("tradeguard why DATE", () => {
  it("names the stage and reason that stopped each signal of a halted session", () => {
    const halt = data.events.find((event) => event.type === "drawdown_halt")!;
    const stopped = data.events.find((event) => event.type === "signal_rejected" && event.date > halt.date && event.reason === "DRAWDOWN_HALT")!;

    const text = explainSession(data, stopped.date);

    expect(text.split("\n")[0]).toMatch(new RegExp(`^${stopped.date}: state HALTED, equity `));
    expect(text).toContain(`${stopped.strategy}:`);
    expect(text).toContain(`${stopped.symbol} buy ENTRY`);
    expect(text).toContain("→ stopped at drawdown_gate: DRAWDOWN_HALT");
  });

  it("shows the order a signal became", () => {
    const order = data.events.find((event) => event.type === "order_submitted" && event.reason === "ENTRY")!;

    expect(explainSession(data, order.date)).toContain(`→ submitted`);
  });

  it("prints from the CLI, and exits 2 for a day that is not a session of the run", () => {
    const date = data.timeline[10].date;
    const ok = spawnSync(process.execPath, ["src/cli/bin.js", "why", date, "--out", dir], { encoding: "utf8" });
    const weekend = spawnSync(process.execPath, ["src/cli/bin.js", "why", "2018-01-06", "--out", dir], { encoding: "utf8" });

    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(explainSession(data, date));
    expect(weekend.status).toBe(2);
    expect(weekend.stderr).toContain("2018-01-06 is not a session of the run");
  });
});

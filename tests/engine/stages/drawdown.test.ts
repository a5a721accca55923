import { describe, expect, it } from "vitest";
import type { TrackedOrder } from "../../../src/engine/index.js";
import type { DrawdownState } from "../../../src/safety/index.js";
import { updateDrawdown } from "../../../src/engine/stages/drawdown.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { CAPITAL, capturingArtifacts, capturingNotifier, scriptedBroker, stageRig } from "./fixtures.js";

const open = (side: "buy" | "sell", symbol: string): TrackedOrder => ({
  orderId: `o-${side}-${symbol}`, clientOrderId: `c-${side}-${symbol}`, idempotencyKey: "k", strategyId: `s-${symbol}`, symbol, side, session: "2021-02-26",
  reason: "ENTRY", reservedNotional: 1000, bookedQty: 0, bookedValue: 0, bookedCommission: 0,
});

async function stepAt(equity: number, options: { overrides?: Record<string, string>; ledger?: Ledger; state?: Partial<DrawdownState> } = {}) {
  const rig = stageRig({ overrides: options.overrides });
  const notifier = capturingNotifier();
  const artifacts = capturingArtifacts();
  const broker = scriptedBroker({ cancel: (orderId) => {
    if (orderId === "o-buy-BBB") throw new Error("order is not cancelable");
  } });
  Object.assign(rig.job.deps, { notifier, artifacts, broker, runFolder: { out: "/runs/a", db: "/runs/a/tg.db" } });
  try {
    const ctx = rig.context({ ledger: options.ledger });
    ctx.equity = equity;
    Object.assign(ctx.state.drawdown, options.state);
    ctx.state.openOrders.push(open("buy", "AAA"), open("sell", "AAA"), open("buy", "BBB"));
    await updateDrawdown(ctx);
    return { ctx, notifier, artifacts, broker, events: ctx.events.map((event) => `${event.type} ${event.reason} ${event.detail}`) };
  } finally {
    await rig.close();
  }
}

describe("the drawdown stage", () => {
  it("on a halt withdraws the entries still open at the broker, and mails the operator when the cooldown ends and what to run", async () => {
    const { ctx, notifier, artifacts, broker, events } = await stepAt(91_000);

    expect(ctx.state.drawdown.mode).toBe("HALTED");
    expect(broker.calls).toEqual(["cancel o-buy-AAA", "cancel o-buy-BBB"]);
    expect(events.slice(-2)).toEqual([
      "order_cancel_requested DRAWDOWN_HALT c-buy-AAA: entry withdrawn on HALTED",
      "order_cancel_failed DRAWDOWN_HALT c-buy-BBB: order is not cancelable",
    ]);
    expect(ctx.events.filter((event) => event.type.startsWith("order_cancel")).map((event) => [event.strategy, event.symbol])).toEqual([["s-AAA", "AAA"], ["s-BBB", "BBB"]]);
    expect(artifacts.written.map((file) => file.kind)).toEqual(["halt"]);
    expect(artifacts.written[0].payload).toMatchObject({ equity: 91_000, highWaterMark: CAPITAL, drawdown: 0.09, threshold: 0.08, cooldownSessions: 10 });
    const [mail] = notifier.sent;
    expect(mail.kind).toBe("halt");
    expect(mail.attachments).toEqual([{ filename: "halt-2021-03-01.json", content: JSON.stringify(artifacts.written[0].payload) }]);
    expect(mail.text).toContain("2021-03-15 at the close");
    expect(mail.text).toContain("kept; exits allowed, new entries blocked");
    expect(mail.text).toContain("tradeguard why 2021-03-01 --out /runs/a    # what each strategy wanted and what stopped it");
    expect(mail.text).toContain("tradeguard kill on --db /runs/a/tg.db    # keep entries blocked after the cooldown, until you run: kill off");
    expect(mail.text).toContain("tradeguard report /runs/a    # rebuild the report with this episode");
  });

  it("on a panic with FLATTEN_ON_PANIC opens the flatten obligation over the whole book by symbol, and says so in the mail", async () => {
    const ledger = new Ledger(CAPITAL);
    ledger.applyFill({ strategyId: "s2", symbol: "BBB", side: "buy", qty: 2, price: 100 });
    ledger.applyFill({ strategyId: "s1", symbol: "AAA", side: "buy", qty: 3, price: 100 });
    ledger.applyFill({ strategyId: "s2", symbol: "AAA", side: "buy", qty: 1, price: 100 });
    const { ctx, notifier, artifacts, events } = await stepAt(85_000, { ledger });

    expect(ctx.state.drawdown.mode).toBe("PANIC");
    expect(ctx.flatten).toBe(true);
    expect(JSON.stringify(ctx.state.flattenObligation)).toContain('[{"symbol":"AAA","qty":4},{"symbol":"BBB","qty":2}]');
    expect(events).toContain("order_cancel_requested DRAWDOWN_PANIC c-buy-AAA: entry withdrawn on PANIC");
    expect(artifacts.written[0]).toMatchObject({ kind: "panic", payload: { threshold: 0.1, flatten: true } });
    expect(notifier.sent[0].kind).toBe("panic");
    expect(notifier.sent[0].attachments?.[0].filename).toBe("panic-2021-03-01.json");
    expect(notifier.sent[0].text).toContain("all flattened with market orders at the next open (FLATTEN_ON_PANIC)");
    expect(notifier.sent[0].text).toContain("2021-03-29 at the close");
  });

  it("keeps the book on a panic without FLATTEN_ON_PANIC, and withdraws nothing when no halt or panic starts", async () => {
    const panic = await stepAt(85_000, { overrides: { FLATTEN_ON_PANIC: "false" } });
    expect(panic.ctx.state.flattenObligation).toBeNull();
    expect(panic.artifacts.written[0].payload).toMatchObject({ flatten: false });
    expect(panic.notifier.sent[0].text).toContain("kept; exits allowed, new entries blocked");

    const calm = await stepAt(95_000);
    expect(calm.ctx.state.drawdown.mode).toBe("ACTIVE");
    expect(calm.broker.calls).toEqual([]);
    expect(calm.events).toEqual([]);
  });

  it("withdraws nothing when a ramp-up ends, and resumes after a passing health check with a mail saying how", async () => {
    const ended = await stepAt(100_000, { state: { mode: "RAMPUP", rampupRemaining: 1 } });
    expect(ended.ctx.state.drawdown.mode).toBe("ACTIVE");
    expect(ended.events.map((line) => line.split(" ")[0])).toEqual(["rampup_ended"]);
    expect(ended.broker.calls).toEqual([]);

    const resumed = await stepAt(95_000, { state: { mode: "HALTED", cooldownRemaining: 1, triggeredOn: "2021-02-12" } });
    expect(resumed.ctx.state.drawdown.mode).toBe("RAMPUP");
    expect(resumed.ctx.drawdown).toBe(0);
    expect(resumed.broker.calls).toEqual([]);
    expect(resumed.artifacts.written.map((file) => file.kind)).toEqual(["health_check"]);
    expect(resumed.artifacts.written[0].payload).toMatchObject({ passed: true, equity: 95_000, state: { mode: "HALTED", cooldownRemaining: 0 } });
    expect(resumed.notifier.sent.map((mail) => mail.subject)).toEqual(["Resume 2021-03-01: ramp-up starts 2021-03-01"]);
    expect(resumed.notifier.sent[0].text).toMatch(/Ramp-up length: +5 sessions\n/);
  });
});

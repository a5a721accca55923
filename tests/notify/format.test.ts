import { describe, expect, it } from "vitest";
import { formatAlert } from "../../src/notify/index.js";

const HALT_FACTS = { date: "2024-03-05", equity: 916, highWaterMark: 1000, drawdown: 0.084, threshold: 0.08, cooldownSessions: 10 };

describe("formatAlert", () => {
  it("states date, equity, high-water mark, drawdown, threshold and cooldown of a halt", () => {
    const { subject, text } = formatAlert("halt", HALT_FACTS);

    expect(subject).toBe("HALT 2024-03-05: drawdown 8.40% reached 8.00%");
    expect(text).toBe(
      [
        "New entries are halted: drawdown reached the halt threshold.",
        "",
        "Date:             2024-03-05",
        "Equity:           $916.00",
        "High-water mark:  $1,000.00",
        "Drawdown:         8.40%",
        "Threshold:        8.00%",
        "Cooldown:         10 sessions",
        "",
      ].join("\n"),
    );
  });

  it("labels a panic as PANIC with the same facts", () => {
    const { subject, text } = formatAlert("panic", { ...HALT_FACTS, equity: 12345.678, drawdown: 0.1054, threshold: 0.1, cooldownSessions: 1 });

    expect(subject).toBe("PANIC 2024-03-05: drawdown 10.54% reached 10.00%");
    expect(text).toContain("Equity:           $12,345.68");
    expect(text).toContain("Cooldown:         1 session\n");
  });

  it("lists every failing check of a failed health check", () => {
    const { subject, text } = formatAlert("health_check_failed", {
      date: "2024-03-19",
      checks: [
        { name: "drawdown_recovered", detail: "drawdown 9.10% still above 8.00%" },
        { name: "broker_reachable", detail: "timeout" },
      ],
    });

    expect(subject).toBe("Health check failed 2024-03-19: 2 checks failing");
    expect(text).toContain("  drawdown_recovered  drawdown 9.10% still above 8.00%\n");
    expect(text).toContain("  broker_reachable    timeout\n");
  });

  it("gives the ramp-up start of a resume and leaves out facts not given", () => {
    const full = formatAlert("resume", { date: "2024-03-19", rampUpStart: "2024-03-20", rampUpSessions: 5, sizing: 0.5 });
    const bare = formatAlert("resume", { date: "2024-03-19", rampUpStart: "2024-03-20" });

    expect(full.subject).toBe("Resume 2024-03-19: ramp-up starts 2024-03-20");
    expect(full.text).toContain("Ramp-up length:  5 sessions\nSizing:          50.00%\n");
    expect(bare.text).toContain("Ramp-up start:  2024-03-20\n");
    expect(bare.text).not.toContain("Sizing");
  });

  it("tabulates reconciliation rows with numbers right-aligned", () => {
    const { subject, text } = formatAlert("reconciliation_mismatch", {
      date: "2024-03-05",
      rows: [
        { symbol: "SPY", local: 3.5, broker: 3 },
        { symbol: "QQQ", local: 0, broker: 12.25, note: "unknown position" },
      ],
    });

    expect(subject).toBe("Reconciliation mismatch 2024-03-05: 2 rows");
    expect(text).toContain(
      [
        "  symbol  local  broker  note",
        "  ------  -----  ------  ----------------",
        "  SPY       3.5       3",
        "  QQQ         0   12.25  unknown position",
      ].join("\n"),
    );
  });

  it("summarises equity, drawdown, state, funnel, data quality and health in the daily digest", () => {
    const { subject, text } = formatAlert("daily_digest", {
      date: "2024-03-05",
      equity: 9812.4,
      drawdown: 0.0188,
      state: "NORMAL",
      funnel: { signals: 12, intents: 8, fills: 5 },
      dataQuality: ["IWM: STALE_DATA (4 sessions without bars)"],
      health: [{ name: "sma_cross", status: "HEALTHY" }, { name: "momentum_top_n", status: "WARNING", detail: "expectancy -1.20" }],
    });

    expect(subject).toBe("Daily digest 2024-03-05: NORMAL, equity $9,812.40, drawdown 1.88%");
    expect(text).toContain("Equity:    $9,812.40\nDrawdown:  1.88%\nState:     NORMAL\n");
    expect(text).toContain("Funnel\n  signals:  12\n  intents:  8\n  fills:    5\n");
    expect(text).toContain("Data quality\n  - IWM: STALE_DATA (4 sessions without bars)\n");
    expect(text).toContain("  momentum_top_n  WARNING  expectancy -1.20\n");
  });

  it("says (none) for empty lists instead of leaving a section blank", () => {
    const digest = formatAlert("daily_digest", { date: "2024-03-05", equity: 1000, drawdown: 0, state: "NORMAL", funnel: {}, dataQuality: [], health: [] });
    const weekly = formatAlert("weekly_health", { date: "2024-03-04", health: [] });

    expect(digest.text).toContain("Data quality\n  (none)\n");
    expect(digest.text).toContain("Strategy health\n  (none)\n");
    expect(weekly.subject).toBe("Weekly health 2024-03-04: 0 strategies");
  });

  it("lists data-quality issues one per line", () => {
    const { subject, text } = formatAlert("data_quality", { date: "2024-03-05", lines: ["SPY: PRICE_OUTLIER close moved 62%"] });

    expect(subject).toBe("Data quality 2024-03-05: 1 issue");
    expect(text).toBe("Data quality issues on 2024-03-05\n\n- SPY: PRICE_OUTLIER close moved 62%\n");
  });

  it("keeps subjects and bodies plain ASCII so mails stay 7bit and readable raw", () => {
    const { subject, text } = formatAlert("halt", HALT_FACTS);

    expect(`${subject}${text}`).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

/** The stages a signal passes on its way to a fill, in order. */
export const FUNNEL_STAGES = [
  "generated",
  "data_quality",
  "kill_switch",
  "drawdown_gate",
  "sizing_risk",
  "idempotency",
  "submitted",
  "filled",
] as const;

/** One stage of the signal funnel. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** One strategy's counts: passes per stage, rejections per stage and reason, and signals a stage passed smaller. */
export interface StrategyFunnel {
  passed: Record<FunnelStage, number>;
  rejected: Partial<Record<FunnelStage, Record<string, number>>>;
  /** Resizes per stage and rule (RAMPUP_SIZING, CORRELATION_SIZING, caps); absent in states saved before it existed. */
  resized?: Partial<Record<FunnelStage, Record<string, number>>>;
}

/** The signal funnel accumulator; plain JSON so the engine can persist it. */
export interface Funnel {
  strategies: Record<string, StrategyFunnel>;
}

/** Funnel counts per strategy, JSON-ready for reports. */
export interface FunnelReport {
  stages: readonly FunnelStage[];
  strategies: Record<
    string,
    {
      counts: Record<FunnelStage, number>;
      /** Passes at a stage over passes at the stage before; null for the first stage or when the one before is 0. */
      conversion: Record<FunnelStage, number | null>;
      /** Signals a stage let through smaller, per stage and rule. */
      resized: Partial<Record<FunnelStage, Record<string, number>>>;
    }
  >;
}

/** All rejections at one stage for one reason. */
export interface RejectionRow {
  stage: FunnelStage;
  reason: string;
  count: number;
  strategies: Record<string, number>;
}

/** A signal's outcome at one stage in one session; `reason` set means it was rejected there. */
export interface FunnelRecord {
  strategy: string;
  stage: FunnelStage;
  reason?: string;
  symbol?: string;
}

/** Why one strategy did not trade in a session. */
export interface NoTradeExplanation {
  strategy: string;
  reasons: { stage: FunnelStage; reason: string; count: number; symbols: string[] }[];
  summary: string;
}

/** An empty funnel accumulator. */
export function createFunnel(): Funnel {
  return { strategies: {} };
}

/** Counts one signal passing `stage` (mutates the accumulator). */
export function recordPassed(funnel: Funnel, strategy: string, stage: FunnelStage): void {
  strategyFunnel(funnel, strategy).passed[stage] += 1;
}

/** Counts one signal stopped at `stage` for `reason` (mutates the accumulator). */
export function recordRejected(funnel: Funnel, strategy: string, stage: FunnelStage, reason: string): void {
  const byReason = (strategyFunnel(funnel, strategy).rejected[stage] ??= {});
  byReason[reason] = (byReason[reason] ?? 0) + 1;
}

/** Counts one signal that `stage` passed at a smaller size because of `reason` (mutates the accumulator). */
export function recordResized(funnel: Funnel, strategy: string, stage: FunnelStage, reason: string): void {
  const byStage = (strategyFunnel(funnel, strategy).resized ??= {});
  const byReason = (byStage[stage] ??= {});
  byReason[reason] = (byReason[reason] ?? 0) + 1;
}

/** Passes per stage and stage-to-stage conversion, per strategy. */
export function funnelReport(funnel: Funnel): FunnelReport {
  const strategies: FunnelReport["strategies"] = {};
  for (const [id, { passed, resized }] of Object.entries(funnel.strategies)) {
    const conversion = perStage((stage, i) => {
      const previous = i === 0 ? 0 : passed[FUNNEL_STAGES[i - 1]];
      return previous > 0 ? passed[stage] / previous : null;
    });
    strategies[id] = { counts: { ...passed }, conversion, resized: structuredClone(resized ?? {}) };
  }
  return { stages: FUNNEL_STAGES, strategies };
}

/** Rejections grouped by stage (in funnel order) and reason (most frequent first), with per-strategy counts. */
export function rejectionsReport(funnel: Funnel): RejectionRow[] {
  const rows = new Map<string, RejectionRow>();
  for (const [id, { rejected }] of Object.entries(funnel.strategies)) {
    for (const stage of FUNNEL_STAGES) {
      for (const [reason, count] of Object.entries(rejected[stage] ?? {})) {
        const key = `${stage}\u0000${reason}`;
        const row = rows.get(key) ?? { stage, reason, count: 0, strategies: {} };
        row.count += count;
        row.strategies[id] = count;
        rows.set(key, row);
      }
    }
  }
  return [...rows.values()].sort(
    (a, b) => stageIndex(a.stage) - stageIndex(b.stage) || b.count - a.count || (a.reason < b.reason ? -1 : 1),
  );
}

/** Why each strategy without a fill this session did not trade, from the session's funnel records. */
export function whyNoTrade(records: readonly FunnelRecord[], strategies: readonly string[] = []): NoTradeExplanation[] {
  const ids = [...new Set([...strategies, ...records.map((record) => record.strategy)])];
  return ids
    .map((id) => ({ id, own: records.filter((record) => record.strategy === id) }))
    .filter(({ own }) => !own.some((record) => record.stage === "filled" && record.reason === undefined))
    .map(({ id, own }) => explain(id, own));
}

function explain(strategy: string, records: readonly FunnelRecord[]): NoTradeExplanation {
  const grouped = new Map<string, NoTradeExplanation["reasons"][number]>();
  for (const { stage, reason, symbol } of records) {
    if (reason === undefined) continue;
    const key = `${stage}\u0000${reason}`;
    const entry = grouped.get(key) ?? { stage, reason, count: 0, symbols: [] };
    entry.count += 1;
    if (symbol !== undefined && !entry.symbols.includes(symbol)) entry.symbols.push(symbol);
    grouped.set(key, entry);
  }
  for (const entry of grouped.values()) entry.symbols.sort();
  const reasons = [...grouped.values()].sort((a, b) => stageIndex(a.stage) - stageIndex(b.stage) || b.count - a.count);
  return { strategy, reasons, summary: `${strategy}: ${noTradeText(records, reasons)}` };
}

function noTradeText(records: readonly FunnelRecord[], reasons: NoTradeExplanation["reasons"]): string {
  if (records.length === 0) return "no signals generated";
  if (reasons.length > 0) {
    const parts = reasons.map((r) => `${r.stage} ${r.reason} x${r.count}${r.symbols.length ? ` (${r.symbols.join(", ")})` : ""}`);
    return `no trade; ${parts.join("; ")}`;
  }
  return records.some((record) => record.stage === "submitted") ? "submitted, not filled" : "no trade; no rejection recorded";
}

function strategyFunnel(funnel: Funnel, strategy: string): StrategyFunnel {
  funnel.strategies[strategy] ??= { passed: perStage(() => 0), rejected: {} };
  return funnel.strategies[strategy];
}

function perStage<T>(value: (stage: FunnelStage, index: number) => T): Record<FunnelStage, T> {
  return Object.fromEntries(FUNNEL_STAGES.map((stage, i) => [stage, value(stage, i)])) as Record<FunnelStage, T>;
}

function stageIndex(stage: FunnelStage): number {
  return FUNNEL_STAGES.indexOf(stage);
}

import type { RunEvent } from "./load.js";

/** Events a person reads as the run's safety story, in the order the pipeline emitted them. */
export const SAFETY_EVENT_TYPES: readonly string[] = [
  "drawdown_halt",
  "drawdown_panic",
  "health_check_passed",
  "health_check_failed",
  "rampup_started",
  "rampup_ended",
  "reconciliation_mismatch",
  "reconciliation_resolved",
  "broker_unreachable",
  "kill_switch_on",
  "kill_switch_off",
];

/**
 * Splits an event detail into its lead text and its `key=value` fields, e.g.
 * "d=0.0812 limit=0.08" → fields [["drawdown", "8.12%"]…]; fractions named like a drawdown show as percentages.
 */
export function readableDetail(detail: string): { text: string; fields: [string, string][] } {
  const fields: [string, string][] = [];
  const text = detail
    .replace(/([A-Za-z_][\w]*)=([^\s,;]+)/g, (_match, key: string, value: string) => {
      fields.push([labelOf(key), valueOf(key, value)]);
      return "";
    })
    .replace(/\s*[,;]\s*(?=[,;]|$)/g, "")
    .replace(/\s{2,}/g, " ")
    .trim()
    .replace(/[:,;]$/, "");
  return { text, fields };
}

const LABELS: Record<string, string> = { d: "drawdown", hwm: "high-water mark", previous_hwm: "previous high-water mark", e: "equity", limit: "limit", threshold: "threshold" };
const FRACTIONS = new Set(["d", "drawdown", "limit", "threshold"]);

function labelOf(key: string): string {
  return LABELS[key] ?? key.replace(/_/g, " ");
}

function valueOf(key: string, value: string): string {
  const number = Number(value);
  return FRACTIONS.has(key) && Number.isFinite(number) && Math.abs(number) <= 1 ? `${(number * 100).toFixed(2)}%` : value;
}

/** The sessions one symbol was blocked for one data-quality reason. */
export interface QualityBlock {
  symbol: string;
  reason: string;
  dates: string[];
}

/** Data-quality blocks from `symbol_blocked` events, by symbol then reason; dates oldest first, unique. */
export function dataQualityBlocks(events: readonly RunEvent[]): QualityBlock[] {
  const blocks = new Map<string, QualityBlock>();
  for (const event of events) {
    if (event.type !== "symbol_blocked" || event.symbol === undefined) continue;
    const key = `${event.symbol}\u0000${event.reason}`;
    const block = blocks.get(key) ?? { symbol: event.symbol, reason: event.reason, dates: [] };
    if (block.dates.at(-1) !== event.date) block.dates.push(event.date);
    blocks.set(key, block);
  }
  return [...blocks.values()].sort((a, b) => compare(a.symbol, b.symbol) || compare(a.reason, b.reason));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

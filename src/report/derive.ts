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
];

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

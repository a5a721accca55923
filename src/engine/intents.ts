import { createHash } from "node:crypto";
import type { SessionDate } from "../clock/types.js";
import type { OrderSide } from "../broker/types.js";

/** What makes an order intent unique: the same tuple on a re-run is the same intent. */
export interface IntentIdentity {
  account: string;
  strategyId: string;
  symbol: string;
  side: OrderSide;
  session: SessionDate;
  /** Position of this intent among the same strategy/symbol/side on the same session. */
  seq: number;
}

/** Deterministic idempotency key of an intent (sha256 of its identity). */
export function idempotencyKey(identity: IntentIdentity): string {
  const { account, strategyId, symbol, side, session, seq } = identity;
  return createHash("sha256").update([account, strategyId, symbol, side, session, seq].join("|")).digest("hex");
}

/** Client order id sent to the broker: readable session prefix + the key's first 20 hex digits (Alpaca allows 128 chars). */
export function clientOrderIdFor(identity: IntentIdentity): string {
  return `tg-${identity.session.replaceAll("-", "")}-${idempotencyKey(identity).slice(0, 20)}`;
}

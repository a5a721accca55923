export { QTY_DECIMALS, floorCents, floorQty, isZeroQty, roundCents, roundQty } from "./money.js";
export {
  Ledger,
  type AppliedFill,
  type Fill,
  type FillSide,
  type LedgerPosition,
  type LedgerSnapshot,
  type PriceOf,
} from "./ledger.js";

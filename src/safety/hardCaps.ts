import { ALLOW, deny, type Decision } from "./types.js";

/** The hard caps' settings as the config names them; 0 means off. */
export interface HardCapSettings {
  MAX_ORDER_NOTIONAL: number;
  MAX_DAILY_ORDERS: number;
  MAX_POSITION_PCT: number;
}

/** One hard cap, for a start-up banner: its key, its value, whether it is off and what it limits. */
export interface HardCap {
  key: keyof HardCapSettings;
  value: number;
  off: boolean;
  limits: string;
}

const LIMITS: Record<keyof HardCapSettings, string> = {
  MAX_ORDER_NOTIONAL: "dollars per entry order",
  MAX_DAILY_ORDERS: "orders per session across strategies",
  MAX_POSITION_PCT: "share of equity in one symbol across strategies",
};

/** Every hard cap of the sizing gate and whether it is off, so a live start-up can print each and warn on the off ones. */
export function hardCaps(settings: HardCapSettings): HardCap[] {
  return (Object.keys(LIMITS) as (keyof HardCapSettings)[]).map((key) => ({
    key,
    value: settings[key],
    off: !(settings[key] > 0),
    limits: LIMITS[key],
  }));
}

/** Entries stop once the session's orders reach MAX_DAILY_ORDERS; exits are never counted out (they reduce risk). */
export function dailyOrdersDecision(ordersPlanned: number, maxDailyOrders: number): Decision {
  if (maxDailyOrders <= 0 || ordersPlanned < maxDailyOrders) return ALLOW;
  return deny("MAX_DAILY_ORDERS", `orders=${ordersPlanned} max=${maxDailyOrders}`);
}

/**
 * Dollars one symbol may still grow by under MAX_POSITION_PCT: the cap's share of equity less what all
 * strategies already hold or are buying of it. Infinity when the cap is off.
 */
export function positionRoom(maxPositionPct: number, equity: number, exposure: number): number {
  if (maxPositionPct <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, maxPositionPct * equity - exposure);
}

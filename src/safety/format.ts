/** A fraction in an event detail, four decimals as in `d=0.0812 limit=0.0800`. */
export function ratio(value: number): string {
  return value.toFixed(4);
}

/** A dollar amount in an event detail. */
export function money(value: number): string {
  return value.toFixed(2);
}

/** A price in an event detail: up to four decimals, so sub-dollar prices keep their digits. */
export function price(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(4))) : String(value);
}

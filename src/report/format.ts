const DOLLARS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const WHOLE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A fraction as a percentage with two decimals: 0.0746 → "7.46%". */
export function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** Dollars with thousands separators and cents: 12345.6 → "12,345.60". */
export function money(value: number): string {
  return DOLLARS.format(value);
}

/** A whole number with thousands separators. */
export function count(value: number): string {
  return WHOLE.format(value);
}

/** Milliseconds as seconds for people: 1234 → "1.23 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

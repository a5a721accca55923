import type { Alert } from "../../src/notify/index.js";
/** An RFC 5322 message split into unfolded headers (lower-case names) and body. */
export interface RawMail {
  headers: Map<string, string>;
  body: string;
}

/** Splits raw message text at the first blank line; enough for the single-part mails alerts are. */
export function parseRawMail(raw: string): RawMail {
  const split = raw.indexOf("\r\n\r\n");
  const headerBlock = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of headerBlock.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** A clock stand-in fixed at 2024-03-05 21:00:00 UTC (16:00 New York). */
export const FIXED_CLOCK = { now: () => Date.UTC(2024, 2, 5, 21, 0, 0) };

/** A halt alert as the engine would send it. */
export const HALT: Alert = {
  kind: "halt",
  subject: "HALT 2024-03-05: drawdown 8.40% reached 8.00%",
  text: "New entries are halted.\n\nEquity:  $916.00\n",
  date: "2024-03-05",
  runId: "run-42",
};

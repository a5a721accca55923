import { errors } from "@alpacahq/alpaca-trade-api/rest";
import { BrokerError, DUPLICATE_CLIENT_ORDER_ID_MESSAGE, type BrokerErrorCode } from "../types.js";
import type { AlpacaConnection } from "./connection.js";

/** What a call was doing: the same status means different things to a submit and a cancel. */
export type Operation = "read" | "submit" | "cancel";

/** A 429 without Retry-After is waited out this long. */
const DEFAULT_RETRY_AFTER_MS = 1000;
const DEFAULT_MAX_RATE_LIMIT_RETRIES = 5;
/** Network errors that mean nothing reached the venue (as opposed to an answer that never came back). */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * The BrokerError for whatever a call through the SDK threw. An API error keeps the server's `message`
 * unchanged (events carry it); `secrets` are masked should a server ever echo them.
 */
export function toBrokerError(error: unknown, operation: Operation, secrets: readonly string[]): BrokerError {
  if (error instanceof BrokerError) return error;
  if (error instanceof errors.ApiError) {
    return new BrokerError(error.status, codeForStatus(error.status, error.message, operation), redact(error.message, secrets));
  }
  if (error instanceof errors.FetchError) return networkError(error, secrets);
  const message = error instanceof Error ? error.message : String(error);
  return new BrokerError(502, "UNAVAILABLE", redact(`unreadable answer from the broker: ${message}`, secrets));
}

function codeForStatus(status: number, message: string, operation: Operation): BrokerErrorCode {
  switch (status) {
    case 401:
      return "UNAUTHORIZED";
    case 403:
      if (/insufficient buying power/i.test(message)) return "INSUFFICIENT_BUYING_POWER";
      return operation === "submit" ? "INVALID_ORDER" : "REJECTED";
    case 404:
      return "ORDER_NOT_FOUND";
    case 400:
    case 422:
      if (message.includes(DUPLICATE_CLIENT_ORDER_ID_MESSAGE)) return "DUPLICATE_CLIENT_ORDER_ID";
      return operation === "cancel" ? "ORDER_NOT_CANCELABLE" : "INVALID_ORDER";
    case 429:
      return "RATE_LIMITED";
    case 408:
    case 504:
      return "TIMEOUT";
    default:
      return status >= 500 ? "UNAVAILABLE" : "REJECTED";
  }
}

/** No answer: unreachable is UNAVAILABLE; an answer cut off or late (timeout, dropped connection) is TIMEOUT. */
function networkError(error: InstanceType<typeof errors.FetchError>, secrets: readonly string[]): BrokerError {
  // The FetchError's own message is the SDK's boilerplate; its causes say what happened.
  const causes = causeChain(error).slice(1);
  const reasons = causes.map((cause) => cause.message).filter(Boolean);
  const unreachable = causes.some((cause) => UNREACHABLE_CODES.has(String((cause as { code?: unknown }).code)));
  const message = redact(`no response from the broker: ${reasons.join(": ")}`, secrets);
  return unreachable ? new BrokerError(503, "UNAVAILABLE", message) : new BrokerError(504, "TIMEOUT", message);
}

function causeChain(error: Error): Error[] {
  const chain: Error[] = [];
  for (let current: unknown = error; current instanceof Error && chain.length < 5; current = current.cause) chain.push(current);
  return chain;
}

function redact(message: string, secrets: readonly string[]): string {
  return secrets.filter(Boolean).reduce((text, secret) => text.split(secret).join("***"), message);
}

/** How long the venue asked us to wait before the next call. */
export function retryAfterMs(error: unknown): number {
  if (error instanceof errors.ApiError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return DEFAULT_RETRY_AFTER_MS;
}

export interface AlpacaCallOptions {
  /** Waits out a 429 (default: a timer); tests inject one that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** 429s waited out per call before RATE_LIMITED surfaces (default 5). */
  maxRateLimitRetries?: number;
}

export interface RetryPolicy {
  /** Waits `ms` (injected so tests do not sleep). */
  sleep(ms: number): Promise<void>;
  /** 429s waited out before RATE_LIMITED surfaces. */
  maxRateLimitRetries: number;
  /** Values that must never appear in an error message. */
  secrets: readonly string[];
}

/**
 * Runs `send`, waiting out 429s as the venue's Retry-After asks (at most `maxRateLimitRetries` times). After any
 * failure except a refused duplicate id, `recover` may find the outcome the failure hid (a submit reads its
 * order back by client order id), so a request that reached the venue is never sent twice unseen.
 */
export async function callWithRetries<T>(
  policy: RetryPolicy,
  operation: Operation,
  send: () => Promise<T>,
  recover?: (failure: BrokerError) => Promise<T | null>,
): Promise<T> {
  for (let retries = 0; ; retries++) {
    try {
      return await send();
    } catch (error) {
      const failure = toBrokerError(error, operation, policy.secrets);
      const recovered = recover && failure.code !== "DUPLICATE_CLIENT_ORDER_ID" ? await recover(failure) : null;
      if (recovered !== null) return recovered;
      if (failure.code !== "RATE_LIMITED" || retries >= policy.maxRateLimitRetries) throw failure;
      await policy.sleep(retryAfterMs(error));
    }
  }
}

export function retryPolicy(connection: AlpacaConnection, options: AlpacaCallOptions): RetryPolicy {
  return {
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    maxRateLimitRetries: options.maxRateLimitRetries ?? DEFAULT_MAX_RATE_LIMIT_RETRIES,
    secrets: [connection.keyId, connection.secret],
  };
}

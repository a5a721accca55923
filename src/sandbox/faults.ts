import { HttpError } from "./http.js";

export type HttpFaultKind = "rate_limit" | "server_error" | "slow" | "drop_after_accept";

const KINDS: readonly HttpFaultKind[] = ["rate_limit", "server_error", "slow", "drop_after_accept"];

/**
 * A transport fault the sandbox plays on the next `count` matching `/v2/…` requests:
 * - `rate_limit`: 429 with `Retry-After: retryAfterS`, before the request is handled;
 * - `server_error`: 500, before the request is handled (nothing happened at the venue);
 * - `slow`: the request is handled, the answer leaves `delayMs` later;
 * - `drop_after_accept`: an order submit is handled and accepted, then the connection is closed unanswered.
 */
export interface HttpFault {
  kind: HttpFaultKind;
  count: number;
  retryAfterS?: number;
  delayMs?: number;
  /** Only requests with this method (e.g. "POST"). */
  method?: string;
  /** Only requests to this path (e.g. "/v2/orders"). */
  path?: string;
}

export interface RequestLine {
  method: string;
  path: string;
}

const DEFAULT_RETRY_AFTER_S = 1;
const DEFAULT_DELAY_MS = 50;

/** Faults waiting for requests, consumed in the order they were added. */
export class HttpFaults {
  private readonly queue: HttpFault[] = [];

  add(fault: HttpFault): void {
    this.queue.push({ ...fault });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Faults not yet used up. */
  pending(): HttpFault[] {
    return this.queue.map((fault) => ({ ...fault }));
  }

  /** Uses one count of the first fault of `kind` matching the request; undefined when none applies. */
  take(kind: HttpFaultKind, request: RequestLine): HttpFault | undefined {
    const index = this.queue.findIndex((fault) => fault.kind === kind && matches(fault, request));
    if (index < 0) return undefined;
    const fault = this.queue[index];
    fault.count -= 1;
    if (fault.count <= 0) this.queue.splice(index, 1);
    return fault;
  }
}

export function retryAfterSeconds(fault: HttpFault): number {
  return fault.retryAfterS ?? DEFAULT_RETRY_AFTER_S;
}

export function delayMs(fault: HttpFault): number {
  return fault.delayMs ?? DEFAULT_DELAY_MS;
}

function matches(fault: HttpFault, request: RequestLine): boolean {
  return (fault.method === undefined || fault.method.toUpperCase() === request.method) && (fault.path === undefined || fault.path === request.path);
}

/** A fault from `POST /sandbox/faults`: `{"kind", "count", "retry_after_s", "delay_ms", "method", "path"}`. */
export function parseFault(body: Record<string, unknown>): HttpFault {
  const kind = body.kind;
  if (typeof kind !== "string" || !KINDS.includes(kind as HttpFaultKind)) {
    throw new HttpError(422, `kind must be one of ${KINDS.join(", ")}`);
  }
  return {
    kind: kind as HttpFaultKind,
    count: wholeNumber(body.count ?? 1, "count", 1),
    retryAfterS: optionalNumber(body.retry_after_s, "retry_after_s"),
    delayMs: optionalNumber(body.delay_ms, "delay_ms"),
    method: optionalText(body.method, "method"),
    path: optionalText(body.path, "path"),
  };
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new HttpError(422, `${name} must be a whole number >= ${min}`);
  }
  return value;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value >= 0)) throw new HttpError(422, `${name} must be a number >= 0`);
  return value;
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new HttpError(422, `${name} must be a non-empty string`);
  return value;
}

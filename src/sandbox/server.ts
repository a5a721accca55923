import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { nyseCalendar, type Clock, type TradingCalendar } from "../clock/index.js";
import { BrokerError, type Broker, type MarketClock } from "../broker/index.js";
import type { BarStore } from "../data/index.js";
import { delayMs, HttpFaults, parseFault, retryAfterSeconds, type RequestLine } from "./faults.js";
import { errorReply, HttpError, json, readJsonObject, send, type Reply } from "./http.js";
import { ALPACA_ROUTES, type Route, type Venue } from "./routes.js";
import { MAX_BARS_LIMIT } from "./bars.js";
import { clockJson } from "./wire.js";

/** The only interface the sandbox listens on: it is a test venue, never reachable from elsewhere. */
export const SANDBOX_HOST = "127.0.0.1";

export interface SandboxKeys {
  keyId: string;
  secret: string;
}

export interface SandboxServerOptions {
  /** The venue behind the API, owned by the caller (a SimulatedBroker whose session hooks the caller drives). */
  broker: Broker;
  /** The venue's clock: `/v2/clock` reads it and bars after its last closed session are never served. */
  clock: Clock;
  bars: BarStore;
  calendar?: TradingCalendar;
  /** Accept only this key pair; by default any non-empty pair is accepted. */
  keys?: SandboxKeys;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Largest page of `/v2/stocks/bars` (default Alpaca's 10,000). */
  barsPageSize?: number;
  /** Moves the venue `sessions` sessions on (`POST /sandbox/advance`); absent when the caller drives time. */
  advance?: (sessions: number) => Promise<MarketClock>;
}

export interface SandboxServer {
  /** `http://127.0.0.1:<port>`: the base URL of both the trading and the market-data API. */
  readonly url: string;
  readonly port: number;
  /** Transport faults played on the next matching requests (also `POST /sandbox/faults`). */
  readonly faults: HttpFaults;
  close(): Promise<void>;
}

/**
 * Serves Alpaca's trading and market-data v2 REST API over `options.broker` on 127.0.0.1, in Alpaca's wire
 * format: the official SDK (and the Alpaca adapter) talk to it as to Alpaca. A BrokerError from the venue
 * is answered with its status and Alpaca's `{code, message}` body carrying the same message.
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const faults = new HttpFaults();
  let clientOrderIds = 0;
  const venue: Venue = {
    broker: options.broker,
    clock: options.clock,
    calendar: options.calendar ?? nyseCalendar,
    bars: options.bars,
    barsPageSize: options.barsPageSize ?? MAX_BARS_LIMIT,
    openedAt: options.clock.now(),
    nextClientOrderId: () => `sandbox-${++clientOrderIds}`,
  };
  const handler = new RequestHandler(venue, faults, options);
  const server = createServer((request, response) => void handler.handle(request, response));
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return { url: `http://${SANDBOX_HOST}:${port}`, port, faults, close: () => closeServer(server) };
}

class RequestHandler {
  constructor(
    private readonly venue: Venue,
    private readonly faults: HttpFaults,
    private readonly options: SandboxServerOptions,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", `http://${SANDBOX_HOST}`);
    const line: RequestLine = { method: request.method ?? "GET", path: url.pathname };
    try {
      if (line.path.startsWith("/sandbox/")) {
        send(response, await this.control(line, request));
        return;
      }
      await this.alpaca(line, url.searchParams, request, response);
    } catch (error) {
      send(response, replyForError(error));
    }
  }

  /** An Alpaca API request, with any transport fault queued for it. */
  private async alpaca(line: RequestLine, params: URLSearchParams, request: IncomingMessage, response: ServerResponse): Promise<void> {
    checkKeys(request, this.options.keys);
    const rateLimit = this.faults.take("rate_limit", line);
    if (rateLimit) throw new HttpError(429, "rate limit exceeded", { "Retry-After": String(retryAfterSeconds(rateLimit)) });
    if (this.faults.take("server_error", line)) throw new HttpError(500, "internal server error");
    const reply = await this.route(line, params, request);
    if (isAcceptedSubmit(line, reply) && this.faults.take("drop_after_accept", line)) {
      request.socket.destroy();
      return;
    }
    const slow = this.faults.take("slow", line);
    if (slow) await delay(delayMs(slow), undefined, { ref: false });
    send(response, reply);
  }

  private async route(line: RequestLine, params: URLSearchParams, request: IncomingMessage): Promise<Reply> {
    for (const route of ALPACA_ROUTES) {
      const match = matchRoute(route, line);
      if (match) return route.handle({ venue: this.venue, params, captures: match, body: () => readJsonObject(request) });
    }
    throw new HttpError(404, `endpoint not found: ${line.method} ${line.path}`);
  }

  /** The sandbox's own endpoints: time and faults (not part of Alpaca's API). */
  private async control(line: RequestLine, request: IncomingMessage): Promise<Reply> {
    const route = `${line.method} ${line.path}`;
    if (route === "POST /sandbox/advance") return this.advance(await readJsonObject(request));
    if (route === "POST /sandbox/faults") {
      this.faults.add(parseFault(await readJsonObject(request)));
      return json({ pending: this.faults.pending() });
    }
    if (route === "DELETE /sandbox/faults") {
      this.faults.clear();
      return { status: 204 };
    }
    throw new HttpError(404, `endpoint not found: ${route}`);
  }

  private async advance(body: Record<string, unknown>): Promise<Reply> {
    if (!this.options.advance) throw new HttpError(409, "this sandbox's clock is driven by its owner, not by /sandbox/advance");
    const sessions = body.sessions ?? 1;
    if (typeof sessions !== "number" || !Number.isInteger(sessions) || sessions < 1) {
      throw new HttpError(422, "sessions must be a whole number >= 1");
    }
    try {
      return json(clockJson(await this.options.advance(sessions)));
    } catch (error) {
      if (error instanceof RangeError) throw new HttpError(409, error.message);
      throw error;
    }
  }
}

function matchRoute(route: Route, line: RequestLine): string[] | null {
  if (route.method !== line.method) return null;
  const match = route.pattern.exec(line.path);
  return match ? match.slice(1).map(decodeURIComponent) : null;
}

/** Alpaca answers 401 when either key header is missing or the pair is not the account's. */
function checkKeys(request: IncomingMessage, keys: SandboxKeys | undefined): void {
  const keyId = request.headers["apca-api-key-id"];
  const secret = request.headers["apca-api-secret-key"];
  const present = typeof keyId === "string" && keyId !== "" && typeof secret === "string" && secret !== "";
  if (!present || (keys !== undefined && (keyId !== keys.keyId || secret !== keys.secret))) {
    throw new HttpError(401, "request is not authorized");
  }
}

function isAcceptedSubmit(line: RequestLine, reply: Reply): boolean {
  return line.method === "POST" && line.path === "/v2/orders" && reply.status === 200;
}

function replyForError(error: unknown): Reply {
  if (error instanceof HttpError) return errorReply(error.status, error.message, error.headers);
  if (error instanceof BrokerError) return errorReply(error.status, error.message);
  return errorReply(500, `internal server error: ${error instanceof Error ? error.message : String(error)}`);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, SANDBOX_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Closes idle keep-alive connections too, so a client's connection pool never holds the server open; closing twice is fine. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

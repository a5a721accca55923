import type { IncomingMessage, ServerResponse } from "node:http";
import { alpacaErrorBody } from "./wire.js";

/** What a route answers: a status, an optional JSON body and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request the sandbox refuses, answered as Alpaca's `{code, message}` body with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(body: unknown, status = 200): Reply {
  return { status, body };
}

export function errorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, body: alpacaErrorBody(status, message), headers };
}

/** The request body parsed as a JSON object; an empty body is `{}`. */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body format is invalid");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HttpError(400, "request body format is invalid: expected a JSON object");
  }
  return parsed as Record<string, unknown>;
}

export function send(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return;
  const hasBody = reply.body !== undefined;
  response.writeHead(reply.status, {
    ...(hasBody ? { "Content-Type": "application/json; charset=utf-8" } : {}),
    ...reply.headers,
  });
  response.end(hasBody ? JSON.stringify(reply.body) : undefined);
}

import type { Clock } from "../clock/types.js";
import { OutboxNotifier } from "./outbox.js";
import { SmtpNotifier } from "./smtp.js";
import type { Notifier } from "./types.js";

/** Where alerts go: `smtpUrl` (SMTP_URL) when set, else `.eml` files in `outboxDir`. */
export interface NotifierOptions {
  smtpUrl?: string;
  from: string;
  /** Comma-separated recipients (ALERT_EMAIL_TO). */
  to: string;
  outboxDir: string;
  clock: Clock;
  /** SMTP connection, greeting and idle timeout in milliseconds. */
  timeoutMs?: number;
}

/** An SMTP notifier when `smtpUrl` is non-empty, otherwise an outbox notifier; throws on an invalid SMTP_URL. */
export function createNotifier(options: NotifierOptions): Notifier {
  const { from, to, clock } = options;
  const url = options.smtpUrl?.trim() ?? "";
  if (url === "") return new OutboxNotifier(options.outboxDir, { from, to, clock });
  return new SmtpNotifier({ url, from, to, clock, timeoutMs: options.timeoutMs });
}

import { createHash } from "node:crypto";
import type { SendMailOptions } from "nodemailer";
import { assertSessionDate } from "../clock/index.js";
import type { Clock } from "../clock/types.js";
import type { Alert, NotifyResult } from "./types.js";

/** Prefix of every alert subject, so mail filters can route them. */
export const SUBJECT_PREFIX = "[tradeguard] ";

/** Sender, comma-separated recipients, and the clock that dates each message. */
export interface MailSettings {
  from: string;
  to: string;
  clock: Clock;
}

/** A nodemailer message whose Message-ID is always set. */
export type AlertMail = SendMailOptions & { messageId: string };

/**
 * Turns alerts into nodemailer messages, identical whichever transport carries them.
 * Everything in a message comes from the alert, the settings and the clock, so a replay mails the same bytes.
 */
export class AlertComposer {
  readonly recipients: string[];
  private readonly occurrences = new Map<string, number>();

  constructor(private readonly settings: MailSettings) {
    this.recipients = parseRecipients(settings.to);
  }

  compose(alert: Alert): AlertMail {
    assertSessionDate(alert.date, "alert date");
    return {
      from: this.settings.from,
      to: this.recipients,
      subject: alert.subject.startsWith(SUBJECT_PREFIX) ? alert.subject : SUBJECT_PREFIX + alert.subject,
      // SMTP turns bare LFs into CRLF on the wire; doing it here keeps outbox files byte-identical to mails.
      text: alert.text.replace(/\r?\n/g, "\r\n"),
      date: new Date(this.settings.clock.now()),
      messageId: this.nextMessageId(alert),
      headers: { "X-Tradeguard-Run": alert.runId, "X-Tradeguard-Kind": alert.kind },
      ...attachmentsOf(alert),
    };
  }

  /** `<date.kind.n.hash@tradeguard>`: n counts same-kind alerts on a date, so repeats stay distinct. */
  private nextMessageId(alert: Alert): string {
    const key = `${alert.kind} ${alert.date}`;
    const n = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, n);
    const hash = createHash("sha256").update(`${alert.runId}\n${alert.kind}\n${alert.date}`).digest("hex");
    return `<${alert.date}.${alert.kind}.${n}.${hash.slice(0, 16)}@tradeguard>`;
  }
}

/** Attachments as JSON parts; the MIME boundary derives from the alert, so a replay mails the same bytes. */
function attachmentsOf(alert: Alert): Partial<SendMailOptions> {
  if (!alert.attachments?.length) return {};
  const boundary = createHash("sha256").update(`${alert.runId}\n${alert.kind}\n${alert.date}\nboundary`).digest("hex").slice(0, 16);
  return {
    attachments: alert.attachments.map(({ filename, content }) => ({ filename, content, contentType: "application/json" })),
    baseBoundary: boundary,
  } as Partial<SendMailOptions>;
}

/** Splits a comma-separated address list, dropping blanks. */
export function parseRecipients(to: string): string[] {
  return to
    .split(",")
    .map((address) => address.trim())
    .filter((address) => address !== "");
}

/** The failed result for anything a transport threw, keeping nodemailer's error code when it has one. */
export function failedResult(error: unknown): NotifyResult {
  if (!(error instanceof Error)) return { delivered: false, error: String(error) };
  const code = (error as { code?: unknown }).code;
  return { delivered: false, error: typeof code === "string" ? `${code}: ${error.message}` : error.message };
}

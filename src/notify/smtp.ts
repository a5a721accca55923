import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { AlertComposer, failedResult, type MailSettings } from "./message.js";
import type { Alert, Notifier, NotifyResult } from "./types.js";

/** Short enough that a dead mail server delays a live loop by seconds, not nodemailer's minutes. */
const DEFAULT_TIMEOUT_MS = 10_000;

const EXPECTED_FORM = "smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]";

/** Where and how to reach the SMTP server, besides the mail settings. */
export interface SmtpSettings extends MailSettings {
  url: string;
  /** Connection, greeting and socket-idle timeout, in milliseconds. */
  timeoutMs?: number;
}

/** Mails alerts through an SMTP server, one connection per alert. */
export class SmtpNotifier implements Notifier {
  private readonly composer: AlertComposer;
  private readonly transport: Transporter;

  constructor(settings: SmtpSettings) {
    this.composer = new AlertComposer(settings);
    if (this.composer.recipients.length === 0) {
      throw new Error("ALERT_EMAIL_TO: at least one recipient is needed when SMTP_URL is set");
    }
    const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.transport = nodemailer.createTransport({
      url: checkSmtpUrl(settings.url),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(alert: Alert): Promise<NotifyResult> {
    try {
      const mail = this.composer.compose(alert);
      await this.transport.sendMail(mail);
      return { delivered: true, via: "smtp", id: mail.messageId };
    } catch (error) {
      return failedResult(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** Returns `url` when it is an smtp:// or smtps:// URL with a host; otherwise throws naming SMTP_URL and the expected form. */
export function checkSmtpUrl(url: string): string {
  if (!isSmtpUrl(url)) {
    throw new Error(`SMTP_URL: expected ${EXPECTED_FORM}, got '${redactCredentials(url)}'`);
  }
  return url;
}

function isSmtpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "smtp:" || parsed.protocol === "smtps:") && parsed.hostname !== "";
  } catch {
    return false;
  }
}

// SMTP_URL is a secret: an error message must not repeat the user or password.
function redactCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@]*@/i, "$1***@");
}

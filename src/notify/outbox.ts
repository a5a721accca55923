import { mkdir, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { SessionDate } from "../clock/types.js";
import { AlertComposer, failedResult, type MailSettings } from "./message.js";
import type { Alert, Notifier, NotifyResult } from "./types.js";

/**
 * Writes each alert as an RFC 5322 file `<dir>/<date>-<seq>-<kind>.eml`, for runs without SMTP.
 * `seq` counts alerts per date in sending order and continues after files already in `dir`, so a restarted
 * live loop never overwrites an earlier alert.
 */
export class OutboxNotifier implements Notifier {
  private readonly composer: AlertComposer;
  // Nodemailer's stream transport builds the same RFC 5322 text its SMTP transport sends.
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  private readonly lastSeq = new Map<SessionDate, number>();

  constructor(
    private readonly dir: string,
    settings: MailSettings,
  ) {
    // An outbox mail still names a recipient: with ALERT_EMAIL_TO empty, the sender's own address.
    this.composer = new AlertComposer({ ...settings, to: settings.to.trim() === "" ? settings.from : settings.to });
  }

  async send(alert: Alert): Promise<NotifyResult> {
    try {
      const mail = this.composer.compose(alert);
      // Numbered before any await, so concurrent sends get distinct files.
      const file = join(this.dir, `${alert.date}-${formatSeq(this.nextSeq(alert.date))}-${alert.kind}.eml`);
      const info = await this.transport.sendMail(mail);
      // Owner-only, like the store: alerts name positions and equity.
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      // `buffer: true` makes the message a Buffer rather than a stream.
      await writeFile(file, info.message as Buffer, { flag: "wx", mode: 0o600 });
      return { delivered: true, via: "outbox", id: mail.messageId };
    } catch (error) {
      return failedResult(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private nextSeq(date: SessionDate): number {
    const seq = Math.max(this.lastSeq.get(date) ?? 0, highestSeqOnDisk(this.dir, date)) + 1;
    this.lastSeq.set(date, seq);
    return seq;
  }
}

function formatSeq(seq: number): string {
  return String(seq).padStart(3, "0");
}

function highestSeqOnDisk(dir: string, date: SessionDate): number {
  const pattern = new RegExp(`^${date}-(\\d+)-.*\\.eml$`);
  return existingFiles(dir).reduce((highest, name) => {
    const match = pattern.exec(name);
    return match ? Math.max(highest, Number(match[1])) : highest;
  }, 0);
}

function existingFiles(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

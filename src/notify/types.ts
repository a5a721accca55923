import type { SessionDate } from "../clock/types.js";

/** What an alert is about; also names its outbox file and its X-Tradeguard-Kind header. */
export type AlertKind =
  | "halt"
  | "panic"
  | "flatten_failed"
  | "health_check_failed"
  | "resume"
  | "reconciliation_mismatch"
  | "daily_digest"
  | "weekly_health"
  | "data_quality";

/** One message for a person: subject and plain-text body, stamped with the session and run it belongs to. */
export interface Alert {
  kind: AlertKind;
  subject: string;
  text: string;
  date: SessionDate;
  runId: string;
  /** Files that explain it (the triggering artifacts), attached to the mail. */
  attachments?: { filename: string; content: string }[];
}

/** How a send ended; a failure is a value, never a thrown error, so alerts cannot crash a run. */
export type NotifyResult =
  | { delivered: true; via: "smtp" | "outbox"; id: string }
  | { delivered: false; error: string };

/** Delivers alerts; `send` always resolves. */
export interface Notifier {
  send(alert: Alert): Promise<NotifyResult>;
  close(): Promise<void>;
}

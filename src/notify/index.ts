export type { Alert, AlertKind, Notifier, NotifyResult } from "./types.js";
export type { MailSettings } from "./message.js";
export { SUBJECT_PREFIX } from "./message.js";
export type { SmtpSettings } from "./smtp.js";
export { SmtpNotifier, checkSmtpUrl } from "./smtp.js";
export { OutboxNotifier } from "./outbox.js";
export type { NotifierOptions } from "./factory.js";
export { createNotifier } from "./factory.js";
export type {
  AlertContent,
  AlertFacts,
  DailyDigestFacts,
  DataQualityFacts,
  DrawdownFacts,
  FailedCheck,
  HealthCheckFailedFacts,
  NamedStatus,
  ReconciliationFacts,
  ResumeFacts,
  WeeklyHealthFacts,
} from "./format.js";
export { formatAlert } from "./format.js";

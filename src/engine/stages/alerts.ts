import { formatAlert, type AlertFacts, type AlertKind } from "../../notify/index.js";
import { emit, type SessionContext } from "../context.js";

/** Sends an alert; a failed delivery becomes an event, never a crash of the session. */
export async function alert<K extends AlertKind>(
  ctx: SessionContext, kind: K, facts: Omit<AlertFacts[K], "date">, attachments: { filename: string; content: string }[] = [],
): Promise<void> {
  const { subject, text } = formatAlert(kind, { date: ctx.date, ...facts } as AlertFacts[K]);
  const result = await ctx.deps.notifier.send({ kind, subject, text, date: ctx.date, runId: ctx.deps.runId, ...(attachments.length ? { attachments } : {}) });
  if (result.delivered) {
    emit(ctx, { type: "alert_sent", reason: "ALERT_SENT", detail: `${kind} via ${result.via}: ${subject}`, data: { id: result.id } });
  } else {
    emit(ctx, { type: "alert_failed", reason: "ALERT_FAILED", detail: `${kind}: ${result.error}` });
  }
}

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer, type SMTPServerEnvelope } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNotifier, type Alert, type NotifierOptions } from "../../src/notify/index.js";
import { FIXED_CLOCK, HALT, parseRawMail } from "./rawMail.js";

interface Received {
  envelope: SMTPServerEnvelope;
  user: unknown;
  raw: string;
}

const received: Received[] = [];
const logins: Array<{ username?: string | null; password?: string | null }> = [];

function startServer(reject: boolean): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username, password: auth.password });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (reject) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
        received.push({ envelope: session.envelope, user: session.user, raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function portOf(server: SMTPServer): number {
  return (server.server.address() as AddressInfo).port;
}

/** A port that nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}


let accepting: SMTPServer;
let rejecting: SMTPServer;
let outboxDir: string;

function options(smtpUrl: string): NotifierOptions {
  return { smtpUrl, from: "tradeguard@localhost", to: "ops@example.test, me@example.test", outboxDir, clock: FIXED_CLOCK, timeoutMs: 2_000 };
}

async function sendOnce(smtpUrl: string, alert: Alert = HALT) {
  const notifier = createNotifier(options(smtpUrl));
  try {
    return await notifier.send(alert);
  } finally {
    await notifier.close();
  }
}

beforeAll(async () => {
  accepting = await startServer(false);
  rejecting = await startServer(true);
  outboxDir = mkdtempSync(join(tmpdir(), "tg-smtp-outbox-"));
});

beforeEach(() => {
  received.length = 0;
  logins.length = 0;
});

afterAll(async () => {
  await Promise.all([accepting, rejecting].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  rmSync(outboxDir, { recursive: true, force: true });
});

describe("SmtpNotifier through createNotifier", () => {
  it("delivers an alert to every recipient with the prefixed subject, run and kind headers", async () => {
    const result = await sendOnce(`smtp://127.0.0.1:${portOf(accepting)}`);

    expect(result).toMatchObject({ delivered: true, via: "smtp" });
    expect(received).toHaveLength(1);
    const [{ envelope, raw }] = received;
    expect(envelope.mailFrom).toMatchObject({ address: "tradeguard@localhost" });
    expect(envelope.rcptTo.map((rcpt) => rcpt.address)).toEqual(["ops@example.test", "me@example.test"]);
    const mail = parseRawMail(raw);
    expect(mail.headers.get("subject")).toBe("[tradeguard] HALT 2024-03-05: drawdown 8.40% reached 8.00%");
    expect(mail.headers.get("x-tradeguard-run")).toBe("run-42");
    expect(mail.headers.get("x-tradeguard-kind")).toBe("halt");
    expect(mail.body).toBe("New entries are halted.\r\n\r\nEquity:  $916.00\r\n");
  });

  it("dates the mail from the clock and derives its Message-ID from run, kind and date", async () => {
    const url = `smtp://127.0.0.1:${portOf(accepting)}`;

    const first = await sendOnce(url);
    const second = await sendOnce(url);
    const otherRun = await sendOnce(url, { ...HALT, runId: "run-43" });

    const [a, b, c] = received.map((mail) => parseRawMail(mail.raw).headers);
    expect(a.get("date")).toBe("Tue, 05 Mar 2024 21:00:00 +0000");
    expect(a.get("message-id")).toBe(first.delivered ? first.id : "");
    expect(b.get("message-id")).toBe(second.delivered ? second.id : "");
    expect(a.get("message-id")).toBe(b.get("message-id"));
    expect(c.get("message-id")).not.toBe(a.get("message-id"));
    expect(otherRun.delivered).toBe(true);
  });

  it("logs in with the user and password in SMTP_URL", async () => {
    await sendOnce(`smtp://alerts:s3cret@127.0.0.1:${portOf(accepting)}`);

    expect(logins).toEqual([{ username: "alerts", password: "s3cret" }]);
    expect(received[0].user).toBe("alerts");
  });

  it("sends the same bytes the outbox would have written", async () => {
    await sendOnce(`smtp://127.0.0.1:${portOf(accepting)}`);
    await sendOnce("");

    expect(received[0].raw).toBe(readFileSync(join(outboxDir, "2024-03-05-001-halt.eml"), "utf8"));
  });

  it("resolves delivered:false without throwing when nothing listens on the port", async () => {
    const result = await sendOnce(`smtp://127.0.0.1:${await closedPort()}`);

    expect(result).toEqual({ delivered: false, error: expect.stringContaining("ECONNREFUSED") });
  });

  it("resolves delivered:false with the server's reply when the server rejects the mail", async () => {
    const result = await sendOnce(`smtp://127.0.0.1:${portOf(rejecting)}`);

    expect(result).toEqual({ delivered: false, error: expect.stringContaining("550") });
  });

  it("rejects an invalid SMTP_URL naming SMTP_URL and the expected form, without echoing credentials", () => {
    for (const url of ["mail.example.test:587", "http://user:hunter2@mail.example.test", "smtp://"]) {
      expect(() => createNotifier(options(url))).toThrow(/^SMTP_URL: expected smtp:\/\/\[user:pass@\]host\[:port\]/);
      expect(() => createNotifier(options(url))).not.toThrow(/hunter2/);
    }
  });

  it("refuses SMTP without recipients, naming ALERT_EMAIL_TO", () => {
    expect(() => createNotifier({ ...options(`smtp://127.0.0.1:${portOf(accepting)}`), to: " , " })).toThrow(/ALERT_EMAIL_TO/);
  });
});

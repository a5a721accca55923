import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OutboxNotifier, createNotifier } from "../../src/notify/index.js";
import { FIXED_CLOCK, HALT, parseRawMail } from "./rawMail.js";

const made: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tg-outbox-"));
  made.push(dir);
  return dir;
}

function outbox(dir: string): OutboxNotifier {
  return new OutboxNotifier(dir, { from: "tradeguard@localhost", to: "ops@example.test, me@example.test", clock: FIXED_CLOCK });
}


afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("OutboxNotifier", () => {
  it("writes an alert as <date>-<seq>-<kind>.eml with the tradeguard headers", async () => {
    const dir = freshDir();

    const result = await outbox(dir).send(HALT);

    expect(result).toEqual({ delivered: true, via: "outbox", id: expect.stringMatching(/^<2024-03-05\.halt\.1\.[0-9a-f]{16}@tradeguard>$/) });
    expect(readdirSync(dir)).toEqual(["2024-03-05-001-halt.eml"]);
    const mail = parseRawMail(readFileSync(join(dir, "2024-03-05-001-halt.eml"), "utf8"));
    expect(mail.headers.get("from")).toBe("tradeguard@localhost");
    expect(mail.headers.get("to")).toBe("ops@example.test, me@example.test");
    expect(mail.headers.get("subject")).toBe("[tradeguard] HALT 2024-03-05: drawdown 8.40% reached 8.00%");
    expect(mail.headers.get("date")).toBe("Tue, 05 Mar 2024 21:00:00 +0000");
    expect(mail.headers.get("message-id")).toBe(result.delivered ? result.id : "");
    expect(mail.headers.get("x-tradeguard-run")).toBe("run-42");
    expect(mail.headers.get("x-tradeguard-kind")).toBe("halt");
    expect(mail.body).toBe("New entries are halted.\r\n\r\nEquity:  $916.00\r\n");
  });

  it("ends every line with CRLF", async () => {
    const dir = freshDir();

    await outbox(dir).send(HALT);

    const raw = readFileSync(join(dir, "2024-03-05-001-halt.eml"), "utf8");
    expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(raw.endsWith("\r\n")).toBe(true);
  });

  it("writes the same bytes for the same alert, settings and clock", async () => {
    const [first, second] = [freshDir(), freshDir()];

    await outbox(first).send(HALT);
    await outbox(second).send(HALT);

    const name = "2024-03-05-001-halt.eml";
    expect(readFileSync(join(first, name))).toEqual(readFileSync(join(second, name)));
  });

  it("numbers a date's alerts in sending order and keeps repeats of a kind distinct", async () => {
    const dir = freshDir();
    const notifier = outbox(dir);

    const results = [
      await notifier.send(HALT),
      await notifier.send({ ...HALT, kind: "daily_digest", subject: "Daily digest" }),
      await notifier.send(HALT),
      await notifier.send({ ...HALT, date: "2024-03-06" }),
    ];

    expect(readdirSync(dir).sort()).toEqual([
      "2024-03-05-001-halt.eml",
      "2024-03-05-002-daily_digest.eml",
      "2024-03-05-003-halt.eml",
      "2024-03-06-001-halt.eml",
    ]);
    const ids = results.map((result) => (result.delivered ? result.id : ""));
    expect(new Set(ids).size).toBe(4);
  });

  it("continues numbering after files already in the outbox instead of overwriting them", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "2024-03-05-007-panic.eml"), "earlier alert");

    await outbox(dir).send(HALT);

    expect(readFileSync(join(dir, "2024-03-05-007-panic.eml"), "utf8")).toBe("earlier alert");
    expect(readdirSync(dir).sort()).toEqual(["2024-03-05-007-panic.eml", "2024-03-05-008-halt.eml"]);
  });

  it("creates the outbox owner-only: folders 0700 and alert files 0600", async () => {
    const dir = join(freshDir(), "outbox");

    await outbox(dir).send(HALT);

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "2024-03-05-001-halt.eml")).mode & 0o777).toBe(0o600);
  });

  it("creates the outbox directory when it does not exist", async () => {
    const dir = join(freshDir(), "out", "outbox");

    const result = await outbox(dir).send(HALT);

    expect(result.delivered).toBe(true);
    expect(readdirSync(dir)).toEqual(["2024-03-05-001-halt.eml"]);
  });

  it("resolves delivered:false when the outbox cannot be written", async () => {
    const file = join(freshDir(), "not-a-directory");
    writeFileSync(file, "");

    const result = await outbox(file).send(HALT);

    expect(result.delivered).toBe(false);
  });

  it("resolves delivered:false for an alert whose date is not YYYY-MM-DD", async () => {
    const dir = freshDir();

    const result = await outbox(dir).send({ ...HALT, date: "../escape" });

    expect(result).toEqual({ delivered: false, error: expect.stringContaining("alert date") });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("is what createNotifier returns when SMTP_URL is empty", async () => {
    const dir = freshDir();
    const notifier = createNotifier({ smtpUrl: "", from: "tradeguard@localhost", to: "ops@example.test", outboxDir: dir, clock: FIXED_CLOCK });

    const result = await notifier.send(HALT);
    await notifier.close();

    expect(result).toMatchObject({ delivered: true, via: "outbox" });
    expect(readdirSync(dir)).toEqual(["2024-03-05-001-halt.eml"]);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser, registerVerifiedUser, uniqueName } from "./support/accounts";
import { freePort } from "./support/ports";
import { linkToken, startSmtpServer, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { REQUEST_RESET, RESET_SUBJECT, VERIFY_SUBJECT, mailsTo } from "./support/recovery";
import { MailSender, retryDelayMs } from "../src/mail/mail-sender";
import { SmtpTransport } from "../src/mail/smtp-transport";
import { OutboxStore } from "../src/mail/outbox.store";

const MAX_ATTEMPTS = 3;

function captureLogger() {
  const lines: Array<Record<string, any>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe.each(testDatabases)("mail outbox delivery on %s", (kind) => {
  let port: number;
  let smtp: TestSmtpServer | undefined;
  let server: TestServer;
  beforeAll(async () => {
    // SMTP_URL points at a port where nothing listens until the first test starts a server there.
    port = await freePort();
    server = await startTestServer(kind, {
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_POLL_INTERVAL: "1h", MAIL_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  const sender = () => server.app.services.mailSender;
  const prisma = () => server.app.database.prisma;
  const queue = (to: string, subject = "Hello") =>
    server.app.services.outbox.queue(prisma(), { to, subject, text: `Plain text for ${to}`, html: `<p>HTML for ${to}</p>` });

  it("keeps a mail queued while the SMTP server is down and delivers it once it is back", async () => {
    // Reset links go only to verified addresses.
    const user = await registerVerifiedUser(server);
    const { body } = await server.gql(REQUEST_RESET, { email: user.email });
    expect(body).toEqual({ data: { requestPasswordReset: true } });

    const failedPass = await sender().runOnce();
    expect(failedPass).toMatchObject({ sent: 0, failed: 0 });
    expect(failedPass.retrying).toBeGreaterThanOrEqual(1);
    const queued = await prisma().outboxMail.findFirstOrThrow({ where: { to: user.email, subject: RESET_SUBJECT } });
    expect(queued).toMatchObject({ attempts: 1, sentAt: null, failedAt: null, claimToken: null });
    expect(queued.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(queued.nextAttempt.getTime()).toBeGreaterThan(server.clock.now().getTime());

    // Not due yet: another pass leaves it alone.
    expect(await sender().runOnce()).toMatchObject({ sent: 0, retrying: 0 });

    smtp = await startSmtpServer(port);
    server.clock.advance(retryDelayMs(1) + 1_000);
    const delivered = await sender().drain();
    expect(delivered.sent).toBeGreaterThanOrEqual(1);
    const resets = mailsTo(smtp, user.email, RESET_SUBJECT);
    expect(resets).toHaveLength(1);
    expect(linkToken(resets[0], "/reset-password")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sent = await prisma().outboxMail.findUniqueOrThrow({ where: { id: queued.id } });
    expect(sent).toMatchObject({ attempts: 2, failedAt: null, lastError: null, claimToken: null });
    expect(sent.sentAt).not.toBeNull();
    // The verification mail from sign-up went out as well.
    expect(mailsTo(smtp, user.email, VERIFY_SUBJECT)).toHaveLength(1);
  });

  it("retries a 4xx answer with growing delays and marks the mail failed after MAIL_MAX_ATTEMPTS", async () => {
    const to = `${uniqueName("busy")}@example.com`;
    const id = await queue(to);
    smtp!.rejectRecipients({ code: 451, message: "Try again later" });
    try {
      const delays: number[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        await sender().drain();
        const row = await prisma().outboxMail.findUniqueOrThrow({ where: { id } });
        expect(row.attempts).toBe(attempt);
        expect(row.lastError).toMatch(/451/);
        if (attempt < MAX_ATTEMPTS) {
          expect(row.failedAt).toBeNull();
          delays.push(row.nextAttempt.getTime() - server.clock.now().getTime());
          server.clock.advance(retryDelayMs(attempt) + 1_000);
        } else {
          expect(row.failedAt).not.toBeNull();
        }
      }
      expect(delays[1]).toBeGreaterThan(delays[0]);
      // Failed for good: later passes leave it alone.
      server.clock.advance(24 * 3_600_000);
      await sender().drain();
      expect((await prisma().outboxMail.findUniqueOrThrow({ where: { id } })).attempts).toBe(MAX_ATTEMPTS);
    } finally {
      smtp!.rejectRecipients(null);
    }
    expect(smtp!.to(to)).toHaveLength(0);
  });

  it("gives up at once on a permanent 5xx rejection", async () => {
    const to = `${uniqueName("gone")}@example.com`;
    const id = await queue(to);
    smtp!.rejectRecipients({ code: 550, message: "No such mailbox" });
    try {
      expect(await sender().drain()).toMatchObject({ failed: 1, sent: 0 });
    } finally {
      smtp!.rejectRecipients(null);
    }
    const row = await prisma().outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row.attempts).toBe(1);
    expect(row.failedAt).not.toBeNull();
    expect(row.lastError).toMatch(/550/);
  });

  it("sends text and HTML bodies", async () => {
    const to = `${uniqueName("both")}@example.com`;
    await queue(to, "Two bodies");
    await sender().drain();
    const [mail] = smtp!.to(to);
    expect(mail.decoded).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.decoded).toContain(`Plain text for ${to}`);
    expect(mail.decoded).toContain(`<p>HTML for ${to}</p>`);
  });

  it("leaves a mail claimed by another sender alone until its lease runs out", async () => {
    const to = `${uniqueName("leased")}@example.com`;
    const id = await queue(to);
    await prisma().outboxMail.update({
      where: { id },
      data: { claimToken: "someone-else", claimedUntil: new Date(server.clock.now().getTime() + 60_000), attempts: 1 },
    });
    await sender().drain();
    expect(smtp!.to(to)).toHaveLength(0);
    server.clock.advance(61_000);
    await sender().drain();
    expect(smtp!.to(to)).toHaveLength(1);
  });

  it("never sends a message twice when two senders run at once", async () => {
    const recipients = Array.from({ length: 30 }, () => `${uniqueName("race")}@example.com`);
    for (const to of recipients) await queue(to, "Race");

    // PostgreSQL: a second server process on the same database. PGlite has one connection,
    // so the second sender shares it.
    const second = kind === "postgres" ? await startTestServer(kind, { databaseUrl: server.app.config.databaseUrl, env: { SMTP_URL: smtp!.url, MAIL_POLL_INTERVAL: "1h" } }) : undefined;
    const other =
      second?.app.services.mailSender ??
      new MailSender(new OutboxStore(prisma()), new SmtpTransport(smtp!.url, "no-reply@localhost"), server.clock, pino({ level: "silent" }), {
        maxAttempts: MAX_ATTEMPTS,
        pollIntervalMs: 3_600_000,
        production: false,
      });
    try {
      await Promise.all([sender().drain(), other.drain()]);
    } finally {
      if (second) await second.stop();
      else await other.stop();
    }
    for (const to of recipients) expect(smtp!.to(to)).toHaveLength(1);
    expect(await prisma().outboxMail.count({ where: { to: { in: recipients }, sentAt: null } })).toBe(0);
  });

  it("without SMTP_URL writes each mail once to the development mailbox, logs where, never its text, and keeps it queued", async () => {
    const to = `${uniqueName("devlog")}@example.com`;
    const id = await queue(to);
    const { logger, lines } = captureLogger();
    const devMailbox = path.join(server.dataDir, "dev-mail");
    const logOnly = new MailSender(new OutboxStore(prisma()), null, server.clock, logger, { maxAttempts: 3, pollIntervalMs: 3_600_000, production: false, devMailbox });
    await logOnly.drain();
    await logOnly.drain();
    const mine = lines.filter((line) => line.mail?.id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ devOnly: true, mail: { to, file: path.join(devMailbox, `${id}.txt`) } });
    expect(mine[0].msg).toMatch(/DEVELOPMENT ONLY/);
    // The text (with its links) is in the file, not in the log.
    expect(JSON.stringify(lines)).not.toContain(`Plain text for ${to}`);
    expect(readFileSync(path.join(devMailbox, `${id}.txt`), "utf8")).toContain(`Plain text for ${to}`);
    const row = await prisma().outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row.sentAt).toBeNull();
    expect(row.loggedAt).not.toBeNull();
    await logOnly.stop();

    // Kept in the outbox: the SMTP sender still delivers it.
    await sender().drain();
    expect(smtp!.to(to)).toHaveLength(1);
  });

  it("without SMTP_URL in production logs that a mail waits, never its body", async () => {
    const user = await registerUser(server, { email: `${uniqueName("prod")}@example.com` });
    const row = await prisma().outboxMail.findFirstOrThrow({ where: { to: user.email } });
    const { logger, lines } = captureLogger();
    const logOnly = new MailSender(new OutboxStore(prisma()), null, server.clock, logger, { maxAttempts: 3, pollIntervalMs: 3_600_000, production: true });
    await logOnly.drain();
    await logOnly.stop();
    const mine = lines.filter((line) => line.mailId === row.id);
    expect(mine).toHaveLength(1);
    const text = JSON.stringify(mine[0]);
    expect(text).not.toContain("verify-email");
    expect(text).not.toContain(user.email);
    expect(mine[0].devOnly).toBeUndefined();
  });
});

describe.each(testDatabases)("background mail sender on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started), { pollInterval: "50ms" });

  it("delivers queued mail on its own, with no pass asked for", async () => {
    const user = await registerUser(server);
    const mail = await smtp.waitFor(user.email);
    expect(mail.decoded).toContain(`Subject: ${VERIFY_SUBJECT}`);
    expect(linkToken(mail, "/verify-email")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

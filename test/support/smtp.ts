import net from "node:net";
import { SMTPServer } from "smtp-server";
import { START_TIMEOUT_MS, startTestServer, type TestServer } from "./test-server";
import type { TestDatabaseKind } from "./databases";

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone, for regexes. */
  decoded: string;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Mails to one address, in arrival order. */
  to(address: string): ReceivedMail[];
  /** Resolves with the next mail to `address` (or the first one already received beyond `seen`). */
  waitFor(address: string, seen?: number): Promise<ReceivedMail>;
  /** Make RCPT TO answer with this code and message (e.g. 451 or 550); null accepts again. */
  rejectRecipients(reply: { code: number; message: string } | null): void;
  stop(): Promise<void>;
}

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}


/** A real SMTP server on 127.0.0.1 that keeps every message it accepts. */
export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let rejection: { code: number; message: string } | null = null;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!rejection) return callback();
      const error = Object.assign(new Error(rejection.message), { responseCode: rejection.code });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, decoded: decodeQuotedPrintable(raw) });
        callback();
        waiters.splice(0).forEach((wake) => wake());
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.server.address() as net.AddressInfo).port;

  const to = (address: string) => received.filter((mail) => mail.to.includes(address.toLowerCase()));
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    to,
    waitFor(address, seen = 0) {
      return new Promise((resolve) => {
        const check = () => {
          const mails = to(address);
          if (mails.length > seen) resolve(mails[seen]);
          else waiters.push(check);
        };
        check();
      });
    },
    rejectRecipients(reply) {
      rejection = reply;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of the first link to `path` (e.g. "/reset-password") in a received mail. */
export function linkToken(mail: ReceivedMail, path: string): string {
  const escaped = path.replace(/[/]/g, "\\/");
  const match = new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(mail.decoded);
  if (!match) throw new Error(`no ${path} link in the mail`);
  return match[1];
}

/**
 * One describe block's SMTP test server and a Latchkey server that mails through it, started
 * before its tests and stopped after them. The background sender polls every `pollInterval`
 * (default 1h: tests deliver with `deliverMail` when they choose). `bind` receives both once
 * they are up: `useServerWithSmtp(kind, (started) => ({ smtp, server } = started))`.
 */
export function useServerWithSmtp(
  kind: TestDatabaseKind,
  bind: (started: { smtp: TestSmtpServer; server: TestServer }) => void,
  options: { pollInterval?: string; env?: Record<string, string> } = {},
): void {
  let smtp: TestSmtpServer | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer(kind, { env: { SMTP_URL: smtp.url, MAIL_POLL_INTERVAL: options.pollInterval ?? "1h", ...options.env } });
    bind({ smtp, server });
   }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });
}

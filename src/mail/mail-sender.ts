import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { randomToken } from "../common/tokens";
import { isPermanentFailure, type MailTransport } from "./smtp-transport";

export interface MailSenderOptions {
  /** Tries per message; after the last failed one the message is marked failed. */
  maxAttempts: number;
  pollIntervalMs: number;
  /** Without a transport, production logs that mail is queued but never its body. */
  production: boolean;
  batchSize?: number;
  /** How long a claimed message is reserved for the sender that claimed it. */
  leaseMs?: number;
}

export interface PassResult {
  sent: number;
  retrying: number;
  failed: number;
  logged: number;
}

interface ClaimedMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
}

const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** Wait before the next try after `attempts` failed ones: 30 s, 1 m, 2 m, ... at most 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

const EMPTY: PassResult = { sent: 0, retrying: 0, failed: 0, logged: 0 };

/**
 * Delivers the outbox in the background. A pass claims due messages with one atomic
 * UPDATE over `FOR UPDATE SKIP LOCKED` rows that also sets a lease (claimToken,
 * claimedUntil), so any number of processes can run senders without sending a message twice;
 * SMTP is spoken outside any transaction. A failed try is retried with exponential backoff
 * until maxAttempts; a permanent rejection (5xx) fails at once.
 */
export class MailSender {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private busy = false;
  private stopped = true;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly transport: MailTransport | null,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: MailSenderOptions,
  ) {
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  /** Starts the polling loop; its timer never keeps the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling, waits for a pass in progress, closes the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tail;
    this.transport?.close();
  }

  /** One pass over due messages, after any pass already running in this process. */
  runOnce(): Promise<PassResult> {
    const pass = this.tail.then(() => this.pass());
    this.tail = pass.catch(() => undefined);
    return pass;
  }

  /** Passes until nothing due is left (messages waiting for a retry are not due). */
  async drain(): Promise<PassResult> {
    const total = { ...EMPTY };
    for (;;) {
      const result = await this.runOnce();
      for (const key of Object.keys(total) as (keyof PassResult)[]) total[key] += result[key];
      if (result.sent + result.retrying + result.failed + result.logged === 0) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.busy) return this.schedule(this.options.pollIntervalMs);
    this.busy = true;
    let full = false;
    try {
      const result = await this.runOnce();
      full = result.sent + result.retrying + result.failed + result.logged >= this.batchSize;
    } catch (error) {
      this.logger.warn({ err: error }, "mail sender pass failed; will try again");
    } finally {
      this.busy = false;
    }
    // A full batch means more may be waiting: go again at once.
    this.schedule(full ? 0 : this.options.pollIntervalMs);
  }

  private async pass(): Promise<PassResult> {
    if (!this.transport) return this.logUnsent();
    const claim = randomToken();
    const now = this.clock.now();
    const leaseEnd = new Date(now.getTime() + this.leaseMs);
    const claimed = await this.prisma.$queryRaw<ClaimedMail[]>`
      UPDATE "OutboxMail" SET "claimToken" = ${claim}, "claimedUntil" = ${leaseEnd}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM "OutboxMail"
        WHERE "sentAt" IS NULL AND "failedAt" IS NULL AND "nextAttempt" <= ${now}
          AND ("claimedUntil" IS NULL OR "claimedUntil" <= ${now})
        ORDER BY "nextAttempt"
        LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, "to", subject, text, html, attempts`;
    const outcomes = await Promise.all(claimed.map((mail) => this.deliver(mail, claim)));
    return {
      sent: outcomes.filter((o) => o === "sent").length,
      retrying: outcomes.filter((o) => o === "retrying").length,
      failed: outcomes.filter((o) => o === "failed").length,
      logged: 0,
    };
  }

  private async deliver(mail: ClaimedMail, claim: string): Promise<"sent" | "retrying" | "failed"> {
    const transport = this.transport!;
    try {
      await transport.send(mail);
    } catch (error) {
      const now = this.clock.now();
      const giveUp = isPermanentFailure(error) || mail.attempts >= this.options.maxAttempts;
      const lastError = String((error as Error)?.message ?? error).slice(0, 500);
      await this.prisma.outboxMail.updateMany({
        where: { id: mail.id, claimToken: claim },
        data: {
          claimToken: null,
          claimedUntil: null,
          lastError,
          ...(giveUp ? { failedAt: now } : { nextAttempt: new Date(now.getTime() + retryDelayMs(mail.attempts)) }),
        },
      });
      const details = { mailId: mail.id, attempts: mail.attempts, error: lastError };
      if (giveUp) this.logger.error(details, "mail delivery failed for good");
      else this.logger.warn(details, "mail delivery failed; will retry");
      return giveUp ? "failed" : "retrying";
    }
    await this.prisma.outboxMail.updateMany({
      where: { id: mail.id },
      data: { sentAt: this.clock.now(), claimToken: null, claimedUntil: null, lastError: null },
    });
    this.logger.info({ mailId: mail.id, attempts: mail.attempts }, "mail sent");
    return "sent";
  }

  /**
   * No SMTP_URL: each message is logged once and stays queued (a transport configured later
   * delivers it). Outside production the log line carries the body, links included, for local
   * development; production logs only that a message is waiting.
   */
  private async logUnsent(): Promise<PassResult> {
    const now = this.clock.now();
    const rows = await this.prisma.$queryRaw<ClaimedMail[]>`
      UPDATE "OutboxMail" SET "loggedAt" = ${now}
      WHERE id IN (
        SELECT id FROM "OutboxMail"
        WHERE "loggedAt" IS NULL AND "sentAt" IS NULL AND "failedAt" IS NULL
        ORDER BY "createdAt"
        LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, "to", subject, text, html, attempts`;
    for (const mail of rows) {
      if (this.options.production) {
        this.logger.warn({ mailId: mail.id }, "mail queued but not sent: SMTP_URL is not set");
      } else {
        this.logger.info(
          { devOnly: true, mail: { id: mail.id, to: mail.to, subject: mail.subject, text: mail.text } },
          "DEVELOPMENT ONLY: SMTP_URL is not set, so this mail is logged instead of sent (it contains its links)",
        );
      }
    }
    return { ...EMPTY, logged: rows.length };
  }
}

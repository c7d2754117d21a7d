import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { QueueWorker, backoffDelayMs } from "../common/queue-worker";
import { claimDue } from "../db/queue-claim";
import { isPermanentFailure, type MailTransport } from "./smtp-transport";

export interface MailSenderOptions {
  /** Tries per message; after the last failed one the message is marked failed. */
  maxAttempts: number;
  pollIntervalMs: number;
  /** Without a transport, production logs that mail is queued but never its body. */
  production: boolean;
  /**
   * Without a transport outside production, each mail is written to a file in this folder
   * (links included) for local development; the log names the file, never the links.
   */
  devMailbox?: string;
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
  return backoffDelayMs(attempts, FIRST_RETRY_MS, LONGEST_RETRY_MS);
}

const EMPTY: PassResult = { sent: 0, retrying: 0, failed: 0, logged: 0 };

/**
 * Delivers the outbox in the background. A pass claims due messages under a lease
 * (common/queue-worker.ts), so any number of processes can run senders without sending a
 * message twice; SMTP is spoken outside any transaction. A failed try is retried with
 * exponential backoff until maxAttempts; a permanent rejection (5xx) fails at once.
 */
export class MailSender {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly worker: QueueWorker<PassResult>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly transport: MailTransport | null,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: MailSenderOptions,
  ) {
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.worker = new QueueWorker(() => this.pass(), { name: "mail", pollIntervalMs: options.pollIntervalMs, batchSize: this.batchSize, logger });
  }

  /** Starts the polling loop; its timer never keeps the process alive. */
  start(): void {
    this.worker.start();
  }

  /** Stops polling, waits for a pass in progress, closes the transport. */
  async stop(): Promise<void> {
    await this.worker.stop();
    this.transport?.close();
  }

  /** One pass over due messages, after any pass already running in this process. */
  runOnce(): Promise<PassResult> {
    return this.worker.runOnce();
  }

  /** Passes until nothing due is left (messages waiting for a retry are not due). */
  drain(): Promise<PassResult> {
    return this.worker.drain();
  }

  private async pass(): Promise<PassResult> {
    if (!this.transport) return this.logUnsent();
    const now = this.clock.now();
    const { claim, rows: claimed } = await claimDue<ClaimedMail>(this.prisma, {
      table: "OutboxMail",
      due: Prisma.sql`"sentAt" IS NULL AND "failedAt" IS NULL AND "nextAttempt" <= ${now}`,
      orderBy: Prisma.sql`"nextAttempt"`,
      columns: Prisma.sql`id, "to", subject, text, html, attempts`,
      batchSize: this.batchSize,
      leaseMs: this.leaseMs,
      now,
    });
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
   * No SMTP_URL: each message is noted once and stays queued (a transport configured later
   * delivers it). Outside production it is also written to DATA_DIR/mail for local
   * development; its links are secrets, so they go to that file and never to the log.
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
      if (this.options.production || !this.options.devMailbox) {
        this.logger.warn({ mailId: mail.id }, "mail queued but not sent: SMTP_URL is not set");
        continue;
      }
      const file = path.join(this.options.devMailbox, `${mail.id}.txt`);
      await mkdir(this.options.devMailbox, { recursive: true, mode: 0o700 });
      await writeFile(file, `To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`, { mode: 0o600 });
      this.logger.info(
        { devOnly: true, mail: { id: mail.id, to: mail.to, subject: mail.subject, file } },
        "DEVELOPMENT ONLY: SMTP_URL is not set, so this mail was written to a file instead of sent",
      );
    }
    return { ...EMPTY, logged: rows.length };
  }
}

import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";

type Db = PrismaClient | Prisma.TransactionClient;

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/**
 * Writes outgoing mail to the OutboxMail table. Pass the transaction of the event that causes
 * the mail: the message exists only if that event commits, and the background sender
 * (mail-sender.ts) delivers it later, so no request ever waits for SMTP.
 */
export class Outbox {
  constructor(private readonly clock: Clock) {}

  async queue(db: Db, message: MailMessage): Promise<string> {
    const now = this.clock.now();
    const row = await db.outboxMail.create({
      data: { to: message.to, subject: message.subject, text: message.text, html: message.html ?? null, createdAt: now, nextAttempt: now },
      select: { id: true },
    });
    return row.id;
  }
}

import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { OutboxStore } from "./outbox.store";

type Db = PrismaClient | Prisma.TransactionClient;

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/**
 * Writes outgoing mail to the outbox. Pass the transaction of the event that causes
 * the mail: the message exists only if that event commits, and the background sender
 * (mail-sender.ts) delivers it later, so no request ever waits for SMTP.
 */
export class Outbox {
  constructor(
    private readonly store: OutboxStore,
    private readonly clock: Clock,
  ) {}

  queue(db: Db, message: MailMessage): Promise<string> {
    return this.store.insert(db, { to: message.to, subject: message.subject, text: message.text, html: message.html ?? null }, this.clock.now());
  }

  /** A statement like `queue`'s that queues nothing: for a path that must take as long as one that mails. */
  queueDecoy(db: Db): Promise<void> {
    return this.store.insertDecoy(db);
  }
}

import { Prisma } from "../generated/prisma/client";
import type { OutboxStore, RenderedMail } from "../mail";

/**
 * The account a notice goes to, as parts of the notice's statement. The account's table is not
 * this feature's: the composition passes its owner's parts in.
 */
export interface NoticeRecipientSql {
  /** A FROM ... WHERE clause yielding the row `u` of the live account `userId` whose address is verified, when `when` holds. */
  verifiedAccount(userId: string, when: Prisma.Sql): Prisma.Sql;
  /** The account's address, over `u`. */
  email: Prisma.Sql;
  username: Prisma.Sql;
  pendingEmail: Prisma.Sql;
}

/** Placeholders a notice's text may hold: values only the database knows when the event is written. */
export const USERNAME = "{{username}}";
export const PENDING_EMAIL = "{{pendingEmail}}";

/**
 * A security notice's mail as a CTE of the audit event's statement: the outbox's insert over
 * the recipient's row, with the placeholders filled from it.
 */
export class NoticeMailStore {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly recipient: NoticeRecipientSql,
  ) {}

  /** Queues `mail` to `userId`'s verified address, when it has one and `when` (default: always) holds. */
  part(userId: string, mail: RenderedMail, now: Date, when: Prisma.Sql = Prisma.sql`true`): Prisma.Sql {
    const r = this.recipient;
    // The pending address masked as k***@corp.test (its first character only when alphanumeric).
    const pending = Prisma.sql`CASE WHEN left(${r.pendingEmail}, 1) ~ '^[A-Za-z0-9]$' THEN left(${r.pendingEmail}, 1) ELSE '*' END
      || '***@' || split_part(${r.pendingEmail}, '@', 2)`;
    const fill = (text: string) => Prisma.sql`replace(replace(${text}, ${USERNAME}, ${r.username}), ${PENDING_EMAIL}, coalesce(${pending}, 'another address'))`;
    return this.outbox.insertPart(
      "security_notice",
      { to: r.email, subject: mail.subject, text: fill(mail.text), html: fill(mail.html ?? "") },
      r.verifiedAccount(userId, when),
      now,
    );
  }
}

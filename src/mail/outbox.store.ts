import { Prisma, type OutboxMail, type PrismaClient } from "../generated/prisma/client";
import { claimDue } from "../db/queue-claim";
import { utc } from "../db/sql-time";
import { uuidv7At } from "../db/sql-ids";

type Db = PrismaClient | Prisma.TransactionClient;

// Never a message's id: a lookup of it finds nothing (the decoy of a queued mail).
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The columns of a message as the sender handles it. */
const MESSAGE_COLUMNS = ["id", "to", "subject", "text", "html", "attempts"] as const satisfies ReadonlyArray<keyof OutboxMail>;
export type OutboxMessageRow = Pick<OutboxMail, (typeof MESSAGE_COLUMNS)[number]>;
const MESSAGE_COLUMNS_SQL = Prisma.raw(MESSAGE_COLUMNS.map((column) => `"${column}"`).join(", "));

// A CTE name goes into the statement as written: only plain identifiers.
const CTE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * A mail for a statement part: `to` and the texts are SQL over the part's source rows, the
 * subject a fixed value.
 */
export interface MailPart {
  to: Prisma.Sql;
  subject: string;
  text: Prisma.Sql;
  html: Prisma.Sql;
}

/** The OutboxMail table: mail waiting for the sender, and what happened to each message. */
export class OutboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(db: Db, message: { to: string; subject: string; text: string; html: string | null }, now: Date): Promise<string> {
    const row = await db.outboxMail.create({ data: { ...message, createdAt: now, nextAttempt: now }, select: { id: true } });
    return row.id;
  }

  /** The statement of `insert`'s kind nearest to it that changes nothing: a lookup by id. */
  async insertDecoy(db: Db): Promise<void> {
    await db.outboxMail.findUnique({ where: { id: NIL_UUID }, select: { id: true } });
  }

  /**
   * A CTE named `name`, for another statement, that queues one message per row of `source`
   * (a FROM ... WHERE clause; no row, no mail), so the mail commits with that statement.
   */
  insertPart(name: string, mail: MailPart, source: Prisma.Sql, now: Date): Prisma.Sql {
    if (!CTE_NAME.test(name)) throw new Error(`OutboxStore.insertPart: not a plain name: ${name}`);
    return Prisma.sql`${Prisma.raw(name)} AS (
      INSERT INTO "OutboxMail" (id, "to", subject, text, html, "createdAt", "nextAttempt")
      SELECT ${uuidv7At(now)}, ${mail.to}, ${mail.subject}, ${mail.text}, ${mail.html}, ${utc(now)}, ${utc(now)}
      ${source}
      RETURNING 1)`;
  }

  /** Messages neither sent nor failed for good (the outboxDepth metric). */
  countWaiting(): Promise<number> {
    return this.prisma.outboxMail.count({ where: { sentAt: null, failedAt: null } });
  }

  /** Claims up to `batchSize` due messages under a lease of `leaseMs` (db/queue-claim.ts). */
  claimDue(now: Date, batchSize: number, leaseMs: number): Promise<{ claim: string; rows: OutboxMessageRow[] }> {
    return claimDue<OutboxMessageRow>(this.prisma, {
      table: "OutboxMail",
      due: Prisma.sql`"sentAt" IS NULL AND "failedAt" IS NULL AND "nextAttempt" <= ${now}`,
      orderBy: Prisma.sql`"nextAttempt"`,
      columns: MESSAGE_COLUMNS_SQL,
      batchSize,
      leaseMs,
      now,
    });
  }

  /**
   * Ends a claimed message's failed try, if the claim still holds it: with `failedAt` it failed
   * for good, with `nextAttempt` it waits for another try.
   */
  async releaseFailed(id: string, claim: string, outcome: { lastError: string } & ({ failedAt: Date } | { nextAttempt: Date })): Promise<void> {
    await this.prisma.outboxMail.updateMany({ where: { id, claimToken: claim }, data: { claimToken: null, claimedUntil: null, ...outcome } });
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.prisma.outboxMail.updateMany({ where: { id }, data: { sentAt: now, claimToken: null, claimedUntil: null, lastError: null } });
  }

  /**
   * Marks up to `batchSize` messages not yet written to the log (and not sent or failed) as
   * logged, oldest first, and returns them; rows another process holds are skipped.
   */
  claimUnlogged(now: Date, batchSize: number): Promise<OutboxMessageRow[]> {
    return this.prisma.$queryRaw<OutboxMessageRow[]>`
      UPDATE "OutboxMail" SET "loggedAt" = ${now}
      WHERE id IN (
        SELECT id FROM "OutboxMail"
        WHERE "loggedAt" IS NULL AND "sentAt" IS NULL AND "failedAt" IS NULL
        ORDER BY "createdAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING ${MESSAGE_COLUMNS_SQL}`;
  }
}

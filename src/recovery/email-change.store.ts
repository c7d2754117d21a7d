import type { Prisma } from "../generated/prisma/client";

/** The EmailChangeRequest table: one row per e-mail change asked for, counted by the limits. */
export class EmailChangeStore {
  /** When the account's newest `take` requests after `since` were made, newest first. */
  async recentRequestTimes(tx: Prisma.TransactionClient, userId: string, since: Date, take: number): Promise<Date[]> {
    const rows = await tx.emailChangeRequest.findMany({
      where: { userId, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take,
      select: { createdAt: true },
    });
    return rows.map((row) => row.createdAt);
  }

  /**
   * Holds, until the caller's transaction ends, a lock on one requested address, so requests of
   * different accounts for that address are counted one after the other.
   */
  async lockRecipient(tx: Prisma.TransactionClient, emailNormalized: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`email-change:${emailNormalized}`}, 0))) AS locked`;
  }

  /** How many confirmation mails went to an address (over all accounts) after `since`. */
  mailedTo(tx: Prisma.TransactionClient, emailNormalized: string, since: Date): Promise<number> {
    return tx.emailChangeRequest.count({ where: { emailNormalized, mailed: true, createdAt: { gt: since } } });
  }

  async insert(tx: Prisma.TransactionClient, row: { userId: string; emailNormalized: string; mailed: boolean; createdAt: Date }): Promise<void> {
    await tx.emailChangeRequest.create({ data: row, select: { id: true } });
  }
}

import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** What a try at a code claimed: the challenge as it is after counting the try. */
export interface ClaimedChallenge {
  id: string;
  userId: string | null;
  addressHash: string;
  codeHash: string;
  /** Tries counted so far, this one included. */
  failedAttempts: number;
}

/**
 * The EmailCodeChallenge table: sign-in codes mailed by requestEmailCode, each stored only as
 * keyed hashes. Rules (how many tries, how long a code lives) are EmailCodeService's.
 */
export class EmailCodeStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Requests for one address wait for each other, so that the per-address count holds under races. */
  async lockAddress(tx: Prisma.TransactionClient, addressHash: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`email-code:${addressHash}`}, 0))) AS locked`;
  }

  /** When the newest `take` challenges for an address after `since` were made, newest first. */
  async recentRequestTimes(tx: Prisma.TransactionClient, addressHash: string, since: Date, take: number): Promise<Date[]> {
    const rows = await tx.emailCodeChallenge.findMany({
      where: { addressHash, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take,
      select: { createdAt: true },
    });
    return rows.map((row) => row.createdAt);
  }

  async insert(
    tx: Prisma.TransactionClient,
    row: { tokenHash: string; userId: string | null; addressHash: string; codeHash: string; expiresAt: Date; createdAt: Date },
  ): Promise<string> {
    const created = await tx.emailCodeChallenge.create({ data: row, select: { id: true } });
    return created.id;
  }

  /**
   * Counts a try on a live challenge before its code is compared: one UPDATE that only matches
   * while fewer than `maxAttempts` tries were counted, so concurrent tries cannot pass the cap
   * (PostgreSQL re-checks the condition on a row another try just updated). Undefined when the
   * challenge is unknown, used, expired or out of tries.
   */
  async claimAttempt(tokenHash: string, now: Date, maxAttempts: number): Promise<ClaimedChallenge | undefined> {
    const rows = await this.prisma.emailCodeChallenge.updateManyAndReturn({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now }, failedAttempts: { lt: maxAttempts } },
      data: { failedAttempts: { increment: 1 } },
      select: { id: true, userId: true, addressHash: true, codeHash: true, failedAttempts: true },
    });
    return rows[0];
  }

  /**
   * Spends the challenge whose right code was just presented (that try no longer counts as a
   * failure); of two requests racing with the right code exactly one gets true.
   */
  async spend(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.emailCodeChallenge.updateMany({
      where: { id, usedAt: null },
      data: { usedAt: now, failedAttempts: { decrement: 1 } },
    });
    return count === 1;
  }

  /** Marks a challenge used without a sign-in (its address is no longer the account's). */
  async retire(id: string, now: Date): Promise<void> {
    await this.prisma.emailCodeChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  }

  /** Deletes every challenge of the user, inside the caller's transaction (account deletion). */
  async deleteAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.emailCodeChallenge.deleteMany({ where: { userId } });
  }

  /** Deletes challenges that expired before `before` (the service keeps them while the per-address limit counts them). */
  async pruneExpiredBefore(before: Date): Promise<number> {
    const { count } = await this.prisma.emailCodeChallenge.deleteMany({ where: { expiresAt: { lt: before } } });
    return count;
  }
}

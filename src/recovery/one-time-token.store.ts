import type { OneTimeToken, OneTimeTokenPurpose, Prisma, PrismaClient } from "../generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

// Never a user's id: statements on it find nothing and change nothing (the reset decoy).
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * The OneTimeToken table: single-use link tokens, stored only as their SHA-256 hash. Rules
 * (which state a token is in, how long it lives) are OneTimeTokenService's.
 */
export class OneTimeTokenStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Deletes the user's tokens of a purpose that are unused or expired (issuing retires them). */
  async deleteRetired(tx: Prisma.TransactionClient, userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<void> {
    await tx.oneTimeToken.deleteMany({ where: { userId, purpose, OR: [{ usedAt: null }, { expiresAt: { lte: now } }] } });
  }

  async insert(
    tx: Prisma.TransactionClient,
    row: { userId: string; purpose: OneTimeTokenPurpose; tokenHash: string; subject: string; createdAt: Date; expiresAt: Date },
  ): Promise<void> {
    await tx.oneTimeToken.create({ data: row, select: { id: true } });
  }

  findByHash(tokenHash: string): Promise<OneTimeToken | null> {
    return this.prisma.oneTimeToken.findUnique({ where: { tokenHash } });
  }

  /** Sets usedAt on the token if it is still unused and unexpired; true when this call did. */
  async markUsed(db: Db, id: string, now: Date): Promise<boolean> {
    const { count } = await db.oneTimeToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    return count === 1;
  }

  /** Marks every unused token of a purpose for a user used. */
  async markAllUsed(db: Db, userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<void> {
    await db.oneTimeToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
  }

  /**
   * Deletes every token of the user, whatever its purpose: for account deletion, which sits
   * below recovery and takes this through a port passed in by the composition.
   */
  async deleteAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.oneTimeToken.deleteMany({ where: { userId } });
  }

  /**
   * The statements of issuing a token, of the same kinds and on the same indexes (a delete by
   * user and purpose, a lookup by hash where issuing inserts one), changing nothing: for a
   * request that must not show by its timing that no account was found.
   */
  async issueDecoy(tx: Prisma.TransactionClient, purpose: OneTimeTokenPurpose, tokenHash: string): Promise<void> {
    await tx.oneTimeToken.deleteMany({ where: { userId: NIL_UUID, purpose, usedAt: null } });
    await tx.oneTimeToken.findUnique({ where: { tokenHash }, select: { id: true } });
  }

  /**
   * Lets the caller's transaction commit without waiting for the WAL flush: for a transaction
   * whose loss in a crash costs the user no more than asking again.
   */
  async commitWithoutFlush(tx: Prisma.TransactionClient): Promise<void> {
    await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
  }
}

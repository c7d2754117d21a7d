import type { MagicLink, Prisma, PrismaClient } from "../generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The MagicLink table: sign-in links, stored only as the SHA-256 of their token. Rules (who gets
 * a link, which state it is in) are MagicLinkService's.
 */
export class MagicLinkStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Links mailed to the address since `since` (the per-address limit counts them). */
  countSince(tx: Prisma.TransactionClient, email: string, since: Date): Promise<number> {
    return tx.magicLink.count({ where: { email, createdAt: { gt: since } } });
  }

  /** Retires the address's unused links: only the newest works. */
  async retireUnused(tx: Prisma.TransactionClient, email: string, now: Date): Promise<void> {
    await tx.magicLink.updateMany({ where: { email, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  }

  async insert(
    tx: Prisma.TransactionClient,
    row: { tokenHash: string; userId: string | null; email: string; bindingHash: string | null; redirectUri: string | null; expiresAt: Date; createdAt: Date },
  ): Promise<void> {
    await tx.magicLink.create({ data: row, select: { id: true } });
  }

  /** A lookup by hash on the unique index, where `insert` writes one: the decoy of a request that mails nothing. */
  async insertDecoy(tx: Prisma.TransactionClient, tokenHash: string): Promise<void> {
    await tx.magicLink.findUnique({ where: { tokenHash }, select: { id: true } });
  }

  findByHash(tokenHash: string): Promise<MagicLink | null> {
    return this.prisma.magicLink.findUnique({ where: { tokenHash } });
  }

  /** Sets usedAt if the link is still unused and unexpired; true when this call did (of two racing calls, one). */
  async markUsed(db: Db, id: string, now: Date): Promise<boolean> {
    const { count } = await db.magicLink.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    return count === 1;
  }

  /** Deletes the account's links (account deletion). */
  async deleteAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.magicLink.deleteMany({ where: { userId } });
  }

  /** Deletes links created before `before`: expired, and past the per-address window. */
  async deleteCreatedBefore(before: Date): Promise<number> {
    const { count } = await this.prisma.magicLink.deleteMany({ where: { createdAt: { lt: before } } });
    return count;
  }

  /** Lets the caller's transaction commit without waiting for the WAL flush (losing it costs one more request). */
  async commitWithoutFlush(tx: Prisma.TransactionClient): Promise<void> {
    await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
  }
}

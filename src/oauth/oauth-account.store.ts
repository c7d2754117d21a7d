import type { OAuthAccount, Prisma, PrismaClient, User } from "../generated/prisma/client";
import type { RemovableWayInSource, WayInFilter } from "../accounts";

type Db = PrismaClient | Prisma.TransactionClient;

/** A new link between an account and a provider identity. */
export type NewOAuthAccount = Omit<OAuthAccount, "id">;

/**
 * OAuthAccount rows: links from accounts to provider identities (one per provider and account),
 * and one of the account's ways in (see accounts/sign-in-methods.ts).
 */
export class OAuthAccountStore implements RemovableWayInSource<string> {
  constructor(private readonly prisma: PrismaClient) {}

  /** The link to this identity with the user it signs in as, read in the same statement. */
  findLinked(provider: string, providerSubject: string): Promise<(OAuthAccount & { user: User }) | null> {
    return this.prisma.oAuthAccount.findUnique({ where: { provider_providerSubject: { provider, providerSubject } }, include: { user: true } });
  }

  /** The user's link to a provider, or null. */
  findForUser(db: Db, userId: string, provider: string): Promise<Pick<OAuthAccount, "id"> | null> {
    return db.oAuthAccount.findFirst({ where: { userId, provider }, select: { id: true } });
  }

  /** Adds a link; a unique index (identity, or the account's provider) refuses a second one. */
  async create(db: Db, link: NewOAuthAccount): Promise<void> {
    await db.oAuthAccount.create({ data: link, select: { id: true } });
  }

  async delete(db: Db, id: string): Promise<void> {
    await db.oAuthAccount.delete({ where: { id } });
  }

  /** Every link of the user (the account is being deleted). */
  async deleteForUser(db: Db, userId: string): Promise<void> {
    await db.oAuthAccount.deleteMany({ where: { userId } });
  }

  /** The provider ids linked to each user, in provider order (one statement for a page of users). */
  async providersOf(userIds: readonly string[]): Promise<string[][]> {
    const rows = await this.prisma.oAuthAccount.findMany({
      where: { userId: { in: [...userIds] } },
      select: { userId: true, provider: true },
      orderBy: { provider: "asc" },
    });
    return userIds.map((id) => rows.filter((row) => row.userId === id).map((row) => row.provider));
  }

  countWaysIn(db: Db, userId: string, filter: WayInFilter = {}): Promise<number> {
    return db.oAuthAccount.count({
      where: {
        userId,
        ...(filter.except ? { id: { not: filter.except } } : {}),
        ...(filter.providers ? { provider: { in: [...filter.providers] } } : {}),
        ...(filter.addedBefore ? { createdAt: { lt: filter.addedBefore } } : {}),
      },
    });
  }

  async listWaysIn(db: Db, userId: string): Promise<Array<{ name: string; createdAt: Date }>> {
    const rows = await db.oAuthAccount.findMany({ where: { userId }, select: { provider: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    return rows.map((row) => ({ name: row.provider, createdAt: row.createdAt }));
  }

  async removeWaysInAddedBefore(db: Db, userId: string, provenAt: Date | null): Promise<string[]> {
    const before = provenAt ? { createdAt: { lt: provenAt } } : {};
    const links = await db.oAuthAccount.findMany({ where: { userId, ...before }, select: { id: true, provider: true } });
    if (links.length > 0) await db.oAuthAccount.deleteMany({ where: { id: { in: links.map((link) => link.id) } } });
    return links.map((link) => link.provider);
  }
}

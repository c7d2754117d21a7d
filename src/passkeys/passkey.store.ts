import type { Prisma, PrismaClient, User, WebAuthnCredential } from "../generated/prisma/client";
import type { RemovableWayInSource, WayInFilter } from "../accounts";

type Db = PrismaClient | Prisma.TransactionClient;

export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  backupEligible: boolean;
  backedUp: boolean;
  name: string | null;
  createdAt: Date;
}

/**
 * The stored passkeys (WebAuthnCredential rows): the credential store both ceremonies read, and
 * one of the account's ways in (see accounts/sign-in-methods.ts).
 */
export class PasskeyStore implements RemovableWayInSource<string | null> {
  constructor(private readonly prisma: PrismaClient) {}

  listForUser(userId: string): Promise<WebAuthnCredential[]> {
    return this.prisma.webAuthnCredential.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  countForUser(userId: string): Promise<number> {
    return this.prisma.webAuthnCredential.count({ where: { userId } });
  }

  /** How many passkeys each of these users has, in the order asked (one statement for a page of users). */
  async countsForUsers(userIds: readonly string[]): Promise<number[]> {
    const rows = await this.prisma.webAuthnCredential.groupBy({ by: ["userId"], where: { userId: { in: [...userIds] } }, _count: { _all: true } });
    const counts = new Map(rows.map((row) => [row.userId, row._count._all]));
    return userIds.map((id) => counts.get(id) ?? 0);
  }

  /** What the browser needs to name a user's passkeys (allow and exclude lists). */
  async descriptorsForUser(userId: string): Promise<Array<{ id: string; transports: string[] }>> {
    const rows = await this.prisma.webAuthnCredential.findMany({
      where: { userId },
      select: { credentialId: true, transports: true },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => ({ id: row.credentialId, transports: row.transports }));
  }

  /** The user's passkey with this id, or null (another user's passkey is not found either). */
  findOwned(db: Db, userId: string, id: string): Promise<WebAuthnCredential | null> {
    return db.webAuthnCredential.findFirst({ where: { id, userId } });
  }

  /** The passkey with the user it signs in as, read in the same statement (a sign-in needs both). */
  findByCredentialId(credentialId: string): Promise<(WebAuthnCredential & { user: User }) | null> {
    return this.prisma.webAuthnCredential.findUnique({ where: { credentialId }, include: { user: true } });
  }

  create(db: Db, passkey: NewPasskey): Promise<WebAuthnCredential> {
    return db.webAuthnCredential.create({
      data: { ...passkey, publicKey: new Uint8Array(passkey.publicKey), counter: BigInt(passkey.counter) },
    });
  }

  /**
   * Records a sign-in with the counter it presented, only if the stored counter is still the one
   * checked against: a concurrent sign-in that moved it first makes this one fail.
   */
  async recordUse(db: Db, id: string, expectedCounter: bigint, use: { counter: number; backedUp: boolean; at: Date }): Promise<boolean> {
    const { count } = await db.webAuthnCredential.updateMany({
      where: { id, counter: expectedCounter },
      data: { counter: BigInt(use.counter), backedUp: use.backedUp, lastUsedAt: use.at },
    });
    return count === 1;
  }

  rename(db: Db, id: string, name: string | null): Promise<WebAuthnCredential> {
    return db.webAuthnCredential.update({ where: { id }, data: { name } });
  }

  async delete(db: Db, id: string): Promise<void> {
    await db.webAuthnCredential.delete({ where: { id } });
  }

  /** Every passkey of the user (the account is being deleted). */
  async deleteForUser(db: Db, userId: string): Promise<void> {
    await db.webAuthnCredential.deleteMany({ where: { userId } });
  }

  countWaysIn(db: Db, userId: string, filter: WayInFilter = {}): Promise<number> {
    return db.webAuthnCredential.count({
      where: {
        userId,
        ...(filter.except ? { id: { not: filter.except } } : {}),
        ...(filter.addedBefore ? { createdAt: { lt: filter.addedBefore } } : {}),
      },
    });
  }

  listWaysIn(db: Db, userId: string): Promise<Array<{ name: string | null; createdAt: Date }>> {
    return db.webAuthnCredential.findMany({ where: { userId }, select: { name: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  async removeWaysInAddedBefore(db: Db, userId: string, provenAt: Date | null): Promise<Array<string | null>> {
    const before = provenAt ? { createdAt: { lt: provenAt } } : {};
    const going = await db.webAuthnCredential.findMany({ where: { userId, ...before }, select: { id: true, name: true } });
    if (going.length > 0) await db.webAuthnCredential.deleteMany({ where: { id: { in: going.map((passkey) => passkey.id) } } });
    return going.map((passkey) => passkey.name);
  }
}

import type { Prisma, PrismaClient, User, WebAuthnCredential } from "../generated/prisma/client";

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

/** The stored passkeys (WebAuthnCredential rows): the credential store both ceremonies read. */
export class PasskeyStore {
  constructor(private readonly prisma: PrismaClient) {}

  listForUser(userId: string): Promise<WebAuthnCredential[]> {
    return this.prisma.webAuthnCredential.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  countForUser(userId: string): Promise<number> {
    return this.prisma.webAuthnCredential.count({ where: { userId } });
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
}

import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import { insertUserRow, type NewUserRow } from "./user.store";
import { lockLiveUser } from "./user-lock";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The reads of the User table that provider sign-in and passkeys need (they take them as ports:
 * oauth's OAuthUsers, passkeys' ReadAddress and LockUser).
 */
export class UserDirectoryStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The live account holding this address verified, or null. */
  findVerifiedOwner(emailNormalized: string): Promise<User | null> {
    return this.prisma.user.findFirst({ where: { emailNormalized, emailVerified: true, deletedAt: null } });
  }

  /** Whether any account holds this address verified. */
  async hasVerifiedHolder(emailNormalized: string): Promise<boolean> {
    return (await this.prisma.user.findFirst({ where: { emailNormalized, emailVerified: true }, select: { id: true } })) !== null;
  }

  /** The account's address; the user must exist. */
  addressOf(db: Db, userId: string): Promise<Pick<User, "email" | "emailVerified">> {
    return db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true } });
  }

  /** The account; it must exist. */
  findById(db: Db, userId: string): Promise<User> {
    return db.user.findUniqueOrThrow({ where: { id: userId } });
  }

  /** Which of these normalized usernames accounts already hold. */
  async takenUsernames(normalized: string[]): Promise<Set<string>> {
    const rows = await this.prisma.user.findMany({ where: { usernameNormalized: { in: normalized } }, select: { usernameNormalized: true } });
    return new Set(rows.map((row) => row.usernameNormalized));
  }

  insert(tx: Prisma.TransactionClient, row: NewUserRow): Promise<User> {
    return insertUserRow(tx, row);
  }

  lock(tx: Prisma.TransactionClient, userId: string): Promise<unknown> {
    return lockLiveUser(tx, userId);
  }
}

import { Prisma, type PrismaClient, type TwoFactor } from "../generated/prisma/client";
import type { OtpMethod } from "./otp";
import { uniqueViolation } from "../db/unique-violation";


/** A new, not yet confirmed enrollment. */
export interface PendingTwoFactor {
  method: OtpMethod;
  secretEncrypted: string;
  counter: bigint;
  createdAt: Date;
}

/** The row a code was checked against: a write only lands while the row is still that one. */
export type CheckedTwoFactor = Pick<TwoFactor, "userId" | "method" | "secretEncrypted" | "counter">;

/** TwoFactor rows: one per user, pending (enabledAt null) until a code from it is confirmed. */
export class TwoFactorStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The user's row, pending or enabled. */
  find(userId: string): Promise<TwoFactor | null> {
    return this.prisma.twoFactor.findUnique({ where: { userId } });
  }

  /** The user's active settings, or null when it is off (a pending enrollment is not on). */
  findEnabled(userId: string): Promise<TwoFactor | null> {
    return this.prisma.twoFactor.findFirst({ where: { userId, enabledAt: { not: null } } });
  }

  /** The user's method when two-factor authentication is on, else null. */
  async enabledMethod(userId: string): Promise<OtpMethod | null> {
    const row = await this.prisma.twoFactor.findUnique({ where: { userId }, select: { method: true, enabledAt: true } });
    return row?.enabledAt ? row.method : null;
  }

  /** Which of these users have two-factor authentication on (one statement for a page of users). */
  async enabledAmong(userIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.twoFactor.findMany({ where: { userId: { in: [...userIds] }, enabledAt: { not: null } }, select: { userId: true } });
    return new Set(rows.map((row) => row.userId));
  }

  /**
   * The part of the one-statement password sign-in that reads the two-factor state: the enabled
   * method of the user `userId` (a SQL expression) names, as text, or NULL (a scalar subquery).
   */
  enabledMethodSql(userId: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`(SELECT tf.method::text FROM "TwoFactor" tf WHERE tf."userId" = ${userId} AND tf."enabledAt" IS NOT NULL)`;
  }

  /** Replaces an unconfirmed enrollment; false when there is none (an active one stays untouched). */
  async replacePending(userId: string, pending: PendingTwoFactor): Promise<boolean> {
    const { count } = await this.prisma.twoFactor.updateMany({ where: { userId, enabledAt: null }, data: pending });
    return count === 1;
  }

  /** Stores a first enrollment; false when the user has a row already (a racing enrollment, or one that is on). */
  async createPending(userId: string, pending: PendingTwoFactor): Promise<boolean> {
    try {
      await this.prisma.twoFactor.create({ data: { userId, ...pending } });
      return true;
    } catch (error) {
      if (uniqueViolation(error) !== undefined) return false;
      throw error;
    }
  }

  /** Turns on the enrollment the code was checked against, only once; false when it changed meanwhile. */
  async enable(tx: Prisma.TransactionClient, row: CheckedTwoFactor, counter: bigint, at: Date): Promise<boolean> {
    const { count } = await tx.twoFactor.updateMany({
      where: { userId: row.userId, enabledAt: null, secretEncrypted: row.secretEncrypted, counter: row.counter },
      data: { enabledAt: at, counter },
    });
    return count === 1;
  }

  /**
   * Moves an active row past the matched TOTP step or HOTP counter value unless a concurrent
   * request already did; `counter` is what is stored after it.
   */
  async advance(tx: Prisma.TransactionClient, row: CheckedTwoFactor, matched: bigint, counter: bigint): Promise<boolean> {
    const { count } = await tx.twoFactor.updateMany({
      where: {
        userId: row.userId,
        method: row.method,
        secretEncrypted: row.secretEncrypted,
        enabledAt: { not: null },
        counter: row.method === "TOTP" ? { lt: matched } : { lte: matched },
      },
      data: { counter },
    });
    return count === 1;
  }

  /** Forgets the user's settings, pending or enabled. */
  async deleteForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.twoFactor.deleteMany({ where: { userId } });
  }

  /**
   * Removes the user's row when it was turned on before `provenAt` or is still pending (any, when
   * null); true when one went. The caller removes the backup codes with it.
   */
  async removeEnabledBefore(tx: Prisma.TransactionClient, userId: string, provenAt: Date | null): Promise<boolean> {
    const before = provenAt ? { OR: [{ enabledAt: null }, { enabledAt: { lt: provenAt } }] } : {};
    const { count } = await tx.twoFactor.deleteMany({ where: { userId, ...before } });
    return count > 0;
  }
}
